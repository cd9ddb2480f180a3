/**
 * Upstream's client sends search-provider keys from the environment in X-LlamaStack-Provider-Data;
 * this adds them to the test's own provider data (which carries the test id). Keys stay in memory.
 */
const PROVIDER_DATA_HEADER = "x-llamastack-provider-data";

export function headersWithProviderData(testHeaders: Record<string, string>, extra: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  let data: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(testHeaders)) {
    if (name.toLowerCase() === PROVIDER_DATA_HEADER) data = JSON.parse(value) as Record<string, unknown>;
    else headers[name] = value;
  }
  headers["X-LlamaStack-Provider-Data"] = JSON.stringify({ ...data, ...extra });
  return headers;
}
