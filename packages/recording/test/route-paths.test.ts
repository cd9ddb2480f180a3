/**
 * Route path rules: a route's native paths (outside /v1) hash and record at its nativeBase, as
 * upstream's recorder saw the Ollama client's calls; its unrecorded paths pass through untouched.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROVIDER_ROUTES, parseRouteSpec, startRecordingProxy, TEST_ID_HEADER, type InferenceMode, type ProviderRoute } from "../src/index.js";
import { routePath } from "../src/routes.js";
import { HAVE_UPSTREAM, NO_UPSTREAM_REASON, UPSTREAM_INTEGRATION } from "./shared.js";
import { startFakeProvider, type FakeProvider } from "./upstream.js";

const ollama = DEFAULT_PROVIDER_ROUTES.ollama!;
const vllm = DEFAULT_PROVIDER_ROUTES.vllm!;
const PROVIDERS_TEST = "tests/integration/providers/test_providers.py::TestProviders::test_providers";

function jsonFiles(d: string): string[] {
  return readdirSync(d, { recursive: true }).map(String).filter((f) => f.endsWith(".json"));
}

async function withProxy<T>(mode: InferenceMode, recordingsDir: string, routes: ProviderRoute[], fn: (url: string) => Promise<T>): Promise<T> {
  const p = await startRecordingProxy({ mode, recordingsDir, providers: routes });
  try {
    return await fn(p.url);
  } finally {
    await p.close();
  }
}

describe("routePath", () => {
  it("records /v1 paths at recordedBase and native paths at nativeBase", () => {
    expect(routePath(ollama, "/v1/chat/completions")).toEqual({ recorded: true, url: "http://0.0.0.0:11434/v1/v1/chat/completions" });
    expect(routePath(ollama, "/api/ps")).toEqual({ recorded: true, url: "http://localhost:11434/api/ps" });
    expect(routePath(DEFAULT_PROVIDER_ROUTES["ollama-native"]!, "/api/tags", "?a=1")).toEqual({ recorded: true, url: "http://localhost:11434/api/tags?a=1" });
  });

  it("uses recordedBase for every path of a route without nativeBase, and passes unrecorded paths through", () => {
    expect(routePath(vllm, "/v1/models")).toEqual({ recorded: true, url: "http://localhost:8000/v1/v1/models" });
    expect(routePath(DEFAULT_PROVIDER_ROUTES.openai!, "/other")).toEqual({ recorded: true, url: "https://api.openai.com/v1/other" });
    expect(routePath(vllm, "/health")).toEqual({ recorded: false });
  });

  it("keeps a known route's path rules when the CLI sets its target", () => {
    expect(parseRouteSpec("ollama=http://127.0.0.1:1")).toEqual({ ...ollama, target: "http://127.0.0.1:1" });
    expect(parseRouteSpec("vllm=,http://h/v1")).toEqual({ name: "vllm", recordedBase: "http://h/v1", unrecordedPaths: ["/health"] });
  });
});

describe("native and unrecorded paths through the proxy", () => {
  let provider: FakeProvider;
  let dir: string;
  beforeAll(async () => {
    provider = await startFakeProvider();
    dir = mkdtempSync(join(tmpdir(), "rec-route-paths-"));
  });
  afterAll(async () => {
    await provider.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("records GET /api/ps on the ollama route as upstream did: url at the native base, body {}", async () => {
    const route = { ...ollama, target: provider.url };
    const status = await withProxy("record", dir, [route], async (url) => {
      const res = await fetch(`${url}/ollama/api/ps`, { headers: { [TEST_ID_HEADER]: PROVIDERS_TEST } });
      await res.text();
      return res.status;
    });
    expect(status).toBe(200);
    expect(provider.received.at(-1)?.path).toBe("/api/ps");
    const files = jsonFiles(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^providers\/[0-9a-f]{64}\.json$/);
    const rec = JSON.parse(readFileSync(join(dir, files[0]!), "utf8"));
    expect(rec.request).toEqual({ method: "POST", url: "http://localhost:11434/api/ps", headers: {}, body: {}, endpoint: "/api/ps", model: "" });
    expect(rec.response.body).toEqual({ __type__: "ollama._types.ProcessResponse", __data__: { models: [] } });
  });

  it("forwards vLLM's /health in replay without hashing it, and records nothing", async () => {
    const empty = mkdtempSync(join(tmpdir(), "rec-route-paths-replay-"));
    try {
      const before = provider.received.length;
      const status = await withProxy("replay", empty, [{ ...vllm, target: provider.url }], async (url) => (await fetch(`${url}/vllm/health`)).status);
      expect(status).toBe(200);
      expect(provider.received.slice(before).map((r) => r.path)).toEqual(["/health"]);
      expect(jsonFiles(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!HAVE_UPSTREAM)(`upstream /api/ps recordings${HAVE_UPSTREAM ? "" : ` (skipped: ${NO_UPSTREAM_REASON})`}`, () => {
  it("are hit through the ollama route (OLLAMA_URL without /v1 + /api/ps)", async () => {
    const body = await withProxy("replay", UPSTREAM_INTEGRATION, [ollama], async (url) => {
      const res = await fetch(`${url}/ollama/api/ps`, { headers: { [TEST_ID_HEADER]: PROVIDERS_TEST } });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-llamastack-recording")).toBe("providers/recordings/1748d5358e4c3440db43059e7fe37918bea64f182bf3d38effdebd59139129c7.json");
      return (await res.json()) as { models: { model: string }[] };
    });
    expect(body.models.map((m) => m.model)).toEqual(["llama3.2:3b", "nomic-embed-text:latest", "llama-guard3:1b"]);
  });
});
