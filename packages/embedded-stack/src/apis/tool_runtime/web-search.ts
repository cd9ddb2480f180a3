/**
 * The `remote::tavily-search` tool runtime behind `builtin::websearch`: one static `web_search` tool;
 * invoking it needs an API key from the provider config or `tavily_search_api_key` in provider data.
 * With `replay_url` in the provider config (a recording proxy's tool route), searches are answered
 * from recorded tool calls instead, as upstream's recorder answers them: no key, no Tavily.
 */
import { TEST_ID_HEADER } from "@llama-stack-tests/recording";
import { request } from "undici";
import { currentRequestContext, stackClosingSignal } from "../../context/request-context.js";
import { HttpError, InvalidValueError } from "../../server/errors.js";
import type { ToolDef } from "./registry.js";

export const TAVILY_PROVIDER_TYPE = "remote::tavily-search";
const TAVILY_SEARCH_URL = "https://api.tavily.com/search";

export function webSearchTools(toolgroupId: string): ToolDef[] {
  return [
    {
      toolgroup_id: toolgroupId,
      name: "web_search",
      description: "Search the web for information",
      input_schema: {
        type: "object",
        properties: { query: { type: "string", description: "The query to search for" } },
        required: ["query"],
      },
      output_schema: null,
      metadata: null,
    },
  ];
}

function apiKey(config: Record<string, unknown>): string {
  if (typeof config.api_key === "string" && config.api_key) return config.api_key;
  const fromRequest = currentRequestContext()?.providerData.tavily_search_api_key;
  if (typeof fromRequest === "string" && fromRequest) return fromRequest;
  throw new InvalidValueError(
    'Pass Search provider\'s API Key in the header X-LlamaStack-Provider-Data as { "tavily_search_api_key": <your api key>}',
  );
}

/** Name upstream's recorder files Tavily calls under: `{provider, tool_name, kwargs}`. */
const RECORDED_PROVIDER = "tavily";

/** Upstream's ToolInvocationResult as the tool route returns it. */
export interface ToolInvocationResult {
  content: string;
  error_message: string | null;
  error_code: number | null;
  metadata: Record<string, unknown> | null;
}

/** Runs one search; the content is the JSON text `{query, top_k}` upstream returns. */
export async function invokeWebSearch(config: Record<string, unknown>, kwargs: Record<string, unknown>): Promise<ToolInvocationResult> {
  if (typeof config.replay_url === "string" && config.replay_url) return replayWebSearch(config.replay_url, kwargs);
  const key = apiKey(config);
  const res = await request(TAVILY_SEARCH_URL, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ api_key: key, query: kwargs.query }),
    signal: stackClosingSignal(),
  });
  const text = await res.body.text();
  if (res.statusCode >= 400) throw new HttpError(res.statusCode, `Tavily search failed (${res.statusCode}): ${text}`);
  const body = JSON.parse(text) as { query: unknown; results: unknown };
  return { content: JSON.stringify({ query: body.query, top_k: body.results }), error_message: null, error_code: null, metadata: null };
}

/** POST {replay_url}/tavily/web_search with the kwargs and the test id: the recorded result. */
async function replayWebSearch(replayUrl: string, kwargs: Record<string, unknown>): Promise<ToolInvocationResult> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const testId = currentRequestContext()?.testId;
  if (testId) headers[TEST_ID_HEADER] = testId;
  const url = `${replayUrl.replace(/\/+$/, "")}/${RECORDED_PROVIDER}/web_search`;
  const res = await request(url, { method: "POST", headers, body: JSON.stringify(kwargs), signal: stackClosingSignal() });
  const text = await res.body.text();
  if (res.statusCode >= 400) throw new HttpError(res.statusCode, `Web search replay failed (${res.statusCode}): ${text}`);
  const body = JSON.parse(text) as Partial<ToolInvocationResult>;
  return {
    content: typeof body.content === "string" ? body.content : JSON.stringify(body.content ?? ""),
    error_message: body.error_message ?? null,
    error_code: body.error_code ?? null,
    metadata: body.metadata ?? null,
  };
}
