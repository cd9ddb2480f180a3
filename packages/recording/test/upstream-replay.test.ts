/**
 * Replays every upstream recording the hash reproduces through the proxy, over the read-only
 * upstream tree, with the default provider routes: proves the routes' recordedBase values and
 * the upstream layout (<api>/recordings/<hash>.json) end to end.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROVIDER_ROUTES, startRecordingProxy, TEST_ID_HEADER, type RecordingProxy } from "../src/index.js";
import { hashFromFileName, hashOfRecording, isToolRequest, type InferenceRequestRecord, type RecordingFile } from "../src/format.js";
import { parseJson, pyDumps, type JsonValue } from "../src/json.js";
import { HAVE_UPSTREAM, NO_UPSTREAM_REASON, UPSTREAM_INTEGRATION } from "./shared.js";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : n.endsWith(".json") && dir.endsWith("/recordings") ? [p] : [];
  });
}

function routeFor(url: string): { name: string; rest: string } {
  const match = Object.values(DEFAULT_PROVIDER_ROUTES)
    .filter((r) => url.startsWith(r.recordedBase + "/"))
    .sort((a, b) => b.recordedBase.length - a.recordedBase.length)[0];
  if (!match) throw new Error(`no default route records ${url}`);
  return { name: match.name, rest: url.slice(match.recordedBase.length) };
}

describe.skipIf(!HAVE_UPSTREAM)(`replay of upstream recordings${HAVE_UPSTREAM ? "" : ` (skipped: ${NO_UPSTREAM_REASON})`}`, () => {
  let proxy: RecordingProxy;
  beforeAll(async () => {
    proxy = await startRecordingProxy({ mode: "replay", recordingsDir: UPSTREAM_INTEGRATION, providers: Object.values(DEFAULT_PROVIDER_ROUTES) });
  });
  afterAll(() => proxy.close());

  it("answers every reproducible inference recording through the default routes", async () => {
    const cases = files(UPSTREAM_INTEGRATION)
      .map((f) => ({ f, rec: parseJson(readFileSync(f, "utf8")) as unknown as RecordingFile }))
      .filter(({ f, rec }) => !isToolRequest(rec.request) && hashOfRecording(rec) === hashFromFileName(f.slice(f.lastIndexOf("/") + 1)));
    expect(cases.length).toBe(1423);
    const failures: string[] = [];
    const routesUsed = new Set<string>();
    for (const { f, rec } of cases) {
      const req = rec.request as InferenceRequestRecord;
      const { name, rest } = routeFor(req.url);
      routesUsed.add(name);
      expect(rest).toBe(req.endpoint);
      const isList = req.endpoint.endsWith("/models") || req.endpoint === "/api/tags";
      const headers: Record<string, string> = rec.test_id ? { [TEST_ID_HEADER]: rec.test_id } : {};
      const res = await fetch(`${proxy.url}/${name}${rest}`, isList
        ? { headers }
        : { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: pyDumps(req.body as JsonValue, { compact: true }) });
      const text = await res.text();
      if (res.status !== 200) {
        failures.push(`${f}: ${res.status} ${text.slice(0, 200)}`);
        continue;
      }
      if (rec.response.is_streaming) {
        const events = text.split("\n\n").filter((e) => e.startsWith("data: "));
        if (events.length !== (rec.response.body as unknown[]).length + 1) failures.push(`${f}: ${events.length} events`);
      } else if (isList && !req.endpoint.startsWith("/api/")) {
        const ids = (JSON.parse(text).data as Array<{ id: string }>).map((m) => m.id);
        if (ids.length < (rec.response.body as unknown[]).length) failures.push(`${f}: merged list lost models`);
      }
    }
    expect(failures).toEqual([]);
    expect([...routesUsed].sort()).toEqual(["ollama", "ollama-native", "openai", "vllm"]);
  });

  it("replays upstream tool recordings at {proxy}/__tools/<provider>/<tool_name>", async () => {
    const tools = files(UPSTREAM_INTEGRATION)
      .map((f) => parseJson(readFileSync(f, "utf8")) as unknown as RecordingFile)
      .filter((rec) => isToolRequest(rec.request));
    expect(tools.length).toBe(3);
    for (const rec of tools) {
      const r = rec.request as { provider: string; tool_name: string; kwargs: JsonValue };
      const res = await fetch(`${proxy.url}/__tools/${r.provider}/${r.tool_name}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(rec.test_id ? { [TEST_ID_HEADER]: rec.test_id } : {}) },
        body: pyDumps(r.kwargs, { compact: true }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { content: unknown }).content).toBeDefined();
    }
  });
});
