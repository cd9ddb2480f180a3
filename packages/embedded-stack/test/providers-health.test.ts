/**
 * GET /v1/providers runs upstream's health checks: Ollama's native /api/ps (with the test id), vLLM's
 * unauthenticated /health, faiss always OK, every other provider "Not Implemented".
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TEST_ID_HEADER } from "@llama-stack-tests/recording";
import { startEmbeddedStack, type EmbeddedStackHandle } from "../src/index.js";
import { startLoopbackJsonServer, type LoopbackServer, type TestExchange } from "./loopback-json-server.js";

interface ProviderInfo {
  api: string;
  provider_id: string;
  health: { status: string; message?: string };
}

const TEST_ID = "tests/integration/providers/test_providers.py::TestProviders::test_providers";

/**
 * Test double for the Ollama and vLLM servers: answers their model lists and hands every health
 * request to `health`, which the tests swap per case.
 */
let health: (x: TestExchange) => void;
const seen: { method: string; path: string; testId: string | undefined }[] = [];
let double: LoopbackServer;
let stack: EmbeddedStackHandle;
let dataDir: string;

beforeAll(async () => {
  double = await startLoopbackJsonServer((x) => {
    if (x.path.endsWith("/v1/models")) return x.reply(200, { object: "list", data: [] });
    seen.push({ method: x.method, path: x.path, testId: x.headers[TEST_ID_HEADER] as string | undefined });
    health(x);
  });
  dataDir = mkdtempSync(join(tmpdir(), "providers-health-"));
  stack = await startEmbeddedStack({
    port: 0,
    dataDir,
    env: { OLLAMA_URL: `${double.origin}/ollama/v1`, VLLM_URL: `${double.origin}/vllm/v1` },
  });
});
afterAll(async () => {
  await stack.close();
  await double.close();
  rmSync(dataDir, { recursive: true, force: true });
});
afterEach(() => {
  seen.length = 0;
});

async function providers(): Promise<Map<string, ProviderInfo["health"]>> {
  const res = await fetch(`${stack.url}/v1/providers`, { headers: { "x-llamastack-provider-data": JSON.stringify({ __test_id: TEST_ID }) } });
  expect(res.status).toBe(200);
  const { data } = (await res.json()) as { data: ProviderInfo[] };
  return new Map(data.map((p) => [p.provider_id, p.health]));
}

describe("provider health", () => {
  it("asks Ollama at its host without /v1 with the test id, vLLM at <base>/../health without it", async () => {
    health = (x) => (x.path === "/ollama/api/ps" ? x.reply(200, { models: [] }) : x.res.writeHead(200).end());
    const byId = await providers();
    expect(byId.get("ollama")).toEqual({ status: "OK" });
    expect(byId.get("vllm")).toEqual({ status: "OK" });
    expect(seen).toEqual([
      { method: "GET", path: "/ollama/api/ps", testId: TEST_ID },
      { method: "GET", path: "/vllm/health", testId: undefined },
    ]);
  });

  it("reports faiss OK and providers without a check as not implemented", async () => {
    health = (x) => x.reply(200, {});
    const byId = await providers();
    expect(byId.get("faiss")).toEqual({ status: "OK" });
    const notImplemented = { status: "Not Implemented", message: "Provider does not implement health check" };
    for (const id of ["sqlite-vec", "llama-guard", "builtin-files", "reference", "tavily-search"]) expect(byId.get(id)).toEqual(notImplemented);
  });

  it("words failures like upstream's Ollama client and httpx", async () => {
    health = (x) => (x.path === "/ollama/api/ps" ? x.reply(500, { error: "ollama is broken" }) : x.reply(503, { detail: "loading" }));
    const byId = await providers();
    expect(byId.get("ollama")).toEqual({ status: "Error", message: "Health check failed: ollama is broken (status code: 500)" });
    expect(byId.get("vllm")).toEqual({
      status: "Error",
      message: `Health check failed: Server error '503 Service Unavailable' for url '${double.origin}/vllm/health'\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/503`,
    });
  });

  it("gives each provider 1 s, then reports it timed out without waiting for its answer", async () => {
    // Ollama answers only once the listing is back, so only a stack that gave up on it can list it as
    // timed out; no wall-clock bound on the call, which a loaded machine can exceed.
    let release!: () => void;
    const listed = new Promise<void>((r) => (release = r));
    health = (x) => (x.path === "/ollama/api/ps" ? void listed.then(() => x.reply(200, {})) : x.res.writeHead(200).end());
    try {
      const byId = await providers();
      expect(byId.get("ollama")).toEqual({ status: "Error", message: "Health check timed out after 1 seconds" });
      expect(byId.get("vllm")).toEqual({ status: "OK" });
    } finally {
      release();
    }
  });

  it("runs the checks for GET /v1/providers/{provider_id} too", async () => {
    health = (x) => x.reply(200, { models: [] });
    const one = (await (await fetch(`${stack.url}/v1/providers/ollama`)).json()) as ProviderInfo;
    expect(one).toMatchObject({ api: "inference", provider_id: "ollama", health: { status: "OK" } });
    expect(seen.map((s) => s.path)).toContain("/ollama/api/ps");
  });
});

describe("provider health without a server", () => {
  it("reports the Ollama client's connection error when nothing listens", async () => {
    const closed = await startLoopbackJsonServer(() => undefined);
    await closed.close();
    const dir = mkdtempSync(join(tmpdir(), "providers-health-down-"));
    const down = await startEmbeddedStack({ port: 0, dataDir: dir, env: { OLLAMA_URL: `${closed.origin}/v1` } });
    try {
      const one = (await (await fetch(`${down.url}/v1/providers/ollama`)).json()) as ProviderInfo;
      expect(one.health).toEqual({
        status: "Error",
        message: "Health check failed: Failed to connect to Ollama. Please check that Ollama is downloaded, running and accessible. https://ollama.com/download",
      });
    } finally {
      await down.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
