import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./server-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

interface RouteInfo {
  route: string;
  method: string;
  provider_types: string[];
}

async function routes(query = ""): Promise<RouteInfo[]> {
  return ((await (await fetch(`${h.url}/v1/inspect/routes${query}`)).json()) as { data: RouteInfo[] }).data;
}

/** Fills path parameters so the route can be requested. */
function concrete(route: string): string {
  return route.replace(/\{[^}]+\}/g, "x");
}

describe("inspect", () => {
  it("lists only routes that are served: none of them answers FastAPI's unknown-route 404", async () => {
    const listed = await routes();
    expect(listed.length).toBeGreaterThan(20);
    for (const r of listed.filter((x) => x.method === "GET")) {
      const res = await fetch(`${h.url}${concrete(r.route)}`);
      const body = await res.text();
      expect(body, `${r.method} ${r.route}`).not.toBe('{"detail":"Not Found"}');
    }
  });

  it("names provider types per API and none for inspect/providers", async () => {
    const listed = await routes();
    const find = (method: string, route: string) => listed.find((r) => r.method === method && r.route === route);
    expect(find("POST", "/v1/chat/completions")?.provider_types).toEqual(["remote::llama-cpp"]);
    expect(find("GET", "/v1/models")?.provider_types).toEqual(["remote::llama-cpp"]);
    expect(find("POST", "/v1/safety/run-shield")?.provider_types).toEqual(["inline::llama-guard"]);
    expect(find("GET", "/v1/health")?.provider_types).toEqual([]);
    expect(find("GET", "/v1/models/{model_id:path}")).toBeDefined();
  });

  it("leaves deprecated routes out unless asked for", async () => {
    const current = await routes();
    expect(current.some((r) => r.method === "POST" && r.route === "/v1/models")).toBe(false);
    const deprecated = await routes("?api_filter=deprecated");
    expect(deprecated.map((r) => `${r.method} ${r.route}`)).toEqual(
      expect.arrayContaining(["POST /v1/models", "DELETE /v1/models/{model_id:path}", "POST /v1/shields", "DELETE /v1/shields/{identifier:path}"]),
    );
  });

  it("lists providers with secrets masked", async () => {
    const other = await startHarness({ env: (p) => ({ LLAMA_CPP_URL: p.baseUrl, OPENAI_API_KEY: "sk-secret-value", OPENAI_BASE_URL: p.baseUrl }) });
    try {
      const text = await (await fetch(`${other.url}/v1/providers`)).text();
      expect(text).not.toContain("sk-secret-value");
      const openai = ((JSON.parse(text) as { data: Record<string, unknown>[] }).data).find((p) => p.provider_id === "openai");
      expect(openai).toMatchObject({ api: "inference", provider_type: "remote::openai", config: { api_key: "********" } });
      const one = (await (await fetch(`${other.url}/v1/providers/openai`)).json()) as { provider_id: string };
      expect(one.provider_id).toBe("openai");
    } finally {
      await other.close();
    }
  });
});
