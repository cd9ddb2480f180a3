/**
 * The `remote::tavily-search` tool runtime behind `builtin::websearch`: one static `web_search` tool;
 * invoking it needs an API key from the provider config or `tavily_search_api_key` in provider data.
 */
import { request } from "undici";
import { currentRequestContext } from "../../context/request-context.js";
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

/** Runs one search; the result is the JSON text `{query, top_k}` upstream returns. */
export async function invokeWebSearch(config: Record<string, unknown>, kwargs: Record<string, unknown>): Promise<string> {
  const key = apiKey(config);
  const res = await request(TAVILY_SEARCH_URL, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ api_key: key, query: kwargs.query }),
  });
  const text = await res.body.text();
  if (res.statusCode >= 400) throw new HttpError(res.statusCode, `Tavily search failed (${res.statusCode}): ${text}`);
  const body = JSON.parse(text) as { query: unknown; results: unknown };
  return JSON.stringify({ query: body.query, top_k: body.results });
}
