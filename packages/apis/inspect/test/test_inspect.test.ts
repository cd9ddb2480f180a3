import { upstreamTest } from "@llama-stack-tests/stack";
import { expect } from "vitest";

const FILE = "tests/integration/inspect/test_inspect.py";

/** Routes a Llama Stack server mounts under the legacy OpenAI prefix (deprecated). */
const isOpenAIPrefixed = (route: string) => route.includes("/openai/");

upstreamTest({ file: FILE, name: "TestInspect::test_health" }, async (t) => {
  const health = await t.client.inspect.health();
  expect(health).toBeTruthy();
  expect(health.status).toBe("OK");
});

upstreamTest({ file: FILE, name: "TestInspect::test_version" }, async (t) => {
  const version = await t.client.inspect.version();
  expect(version).toBeTruthy();
  expect(typeof version.version).toBe("string");
  expect(version.version.length).toBeGreaterThan(0);
});

upstreamTest({ file: FILE, name: "TestInspect::test_list_routes_default" }, async (t) => {
  const routes = await t.client.routes.list();
  expect(Array.isArray(routes), "GET /v1/inspect/routes returns { data: [...] }").toBe(true);
  expect(routes.length).toBeGreaterThan(0);
  for (const route of routes) {
    expect(typeof route.method).toBe("string");
    expect(Array.isArray(route.provider_types)).toBe(true);
  }
  const paths = routes.map((r) => r.route);
  expect(paths.filter(isOpenAIPrefixed), "Default filter should not include deprecated /openai/ routes").toEqual([]);
  expect(paths.includes("/inspect/routes") || paths.includes("/v1/inspect/routes")).toBe(true);
  expect(paths.includes("/health") || paths.includes("/v1/health")).toBe(true);
});

upstreamTest({ file: FILE, name: "TestInspect::test_list_routes_filter_by_deprecated" }, (t) => {
  // Upstream disables the whole class; this one also contradicts its own route table at this
  // commit: the deprecated routes (POST /v1/models, DELETE /v1/shields/{id}, ...) contain no
  // "/openai/" path, so its assertion fails against Llama Stack itself.
  t.skip("inspect tests disabled upstream; its /openai/ expectation no longer holds for deprecated routes");
});

upstreamTest({ file: FILE, name: "TestInspect::test_list_routes_filter_by_v1" }, async (t) => {
  const routes = await t.client.routes.list({ api_filter: "v1" });
  expect(Array.isArray(routes)).toBe(true);
  expect(routes.length).toBeGreaterThan(0);
  const paths = routes.map((r) => r.route);
  expect(paths.filter(isOpenAIPrefixed)).toEqual([]);
  expect(
    paths.some((p) => p.includes("/v1/") || p.startsWith("/inspect/") || p.startsWith("/health") || p.startsWith("/version")),
  ).toBe(true);
});
