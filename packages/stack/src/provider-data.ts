/** Header through which Llama Stack receives per-request provider data (API keys, __test_id); ogx renamed it (server-targets.ts). */
export const PROVIDER_DATA_HEADER = "X-LlamaStack-Provider-Data";

/** Env API keys forwarded as provider data, as upstream's fixtures do. */
const PROVIDER_DATA_KEYS: Readonly<Record<string, string>> = {
  TAVILY_SEARCH_API_KEY: "tavily_search_api_key",
  BRAVE_SEARCH_API_KEY: "brave_search_api_key",
  FIREWORKS_API_KEY: "fireworks_api_key",
  GEMINI_API_KEY: "gemini_api_key",
  OPENAI_API_KEY: "openai_api_key",
  TOGETHER_API_KEY: "together_api_key",
  ANTHROPIC_API_KEY: "anthropic_api_key",
  GROQ_API_KEY: "groq_api_key",
  WOLFRAM_ALPHA_API_KEY: "wolfram_alpha_api_key",
};

export function providerDataFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [envKey, dataKey] of Object.entries(PROVIDER_DATA_KEYS)) {
    const value = env[envKey];
    if (value) data[dataKey] = value;
  }
  return data;
}

/** Headers carrying the test id (and env API keys) in provider data. */
export function testIdHeaders(testId: string, env: NodeJS.ProcessEnv = process.env, header: string = PROVIDER_DATA_HEADER): Record<string, string> {
  return { [header]: JSON.stringify({ ...providerDataFromEnv(env), __test_id: testId }) };
}
