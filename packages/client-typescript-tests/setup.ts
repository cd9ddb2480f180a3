// The client side of the contract: the runner exports TEST_API_BASE_URL, the suite and setup, and the
// setup's model defaults; in server mode each request names its test in the provider-data header,
// which is how replay finds the test's recordings.
import LlamaStackClient from "llama-stack-client";

export const config = {
  baseURL: process.env.TEST_API_BASE_URL ?? "",
  setup: process.env.LLAMA_STACK_TEST_SETUP ?? "",
  textModel: process.env.LLAMA_STACK_TEST_TEXT_MODEL ?? "",
};

if (!config.baseURL) throw new Error("TEST_API_BASE_URL is not set: run these tests through `pnpm suite` with TS_CLIENT_PATH, or against `pnpm suite serve`");

export function client(testId: string): LlamaStackClient {
  const headers: Record<string, string> = {};
  if (process.env.LLAMA_STACK_TEST_STACK_CONFIG_TYPE === "server") {
    headers["X-LlamaStack-Provider-Data"] = JSON.stringify({ __test_id: testId });
  }
  return new LlamaStackClient({ baseURL: config.baseURL, defaultHeaders: headers, maxRetries: 0 });
}

/** The text model; the tests need one (the setup's default text model). */
export function textModel(): string {
  if (!config.textModel) throw new Error("LLAMA_STACK_TEST_TEXT_MODEL is not set");
  return config.textModel;
}
