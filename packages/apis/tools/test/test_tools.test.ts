import { upstreamTest } from "@llama-stack-tests/stack";
import { expect } from "vitest";

const WEBSEARCH = "builtin::websearch";

interface ToolGroupList {
  data: Array<{ identifier: string }>;
}

async function toolGroupIds(fetchJson: (path: string) => Promise<Response>): Promise<string[]> {
  const response = await fetchJson("/v1/toolgroups");
  expect(response.status).toBe(200);
  return ((await response.json()) as ToolGroupList).data.map((g) => g.identifier);
}

// llama-stack-client 0.7.3 has no toolgroups resource: DELETE /v1/toolgroups/{id} is called directly.
upstreamTest({ file: "tests/integration/tools/test_tools.py", name: "test_toolsgroups_unregister" }, async (t) => {
  const response = await t.fetch(`/v1/toolgroups/${encodeURIComponent(WEBSEARCH)}`, { method: "DELETE" });
  const body = await response.text();
  expect(response.ok, `DELETE /v1/toolgroups/${WEBSEARCH} answered ${response.status}: ${body}`).toBe(true);

  expect(await toolGroupIds((path) => t.fetch(path))).not.toContain(WEBSEARCH);
});
