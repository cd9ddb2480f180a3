/**
 * Fidelity replay: upstream's own recordings (../shared), served by the real recording proxy in replay
 * mode, answer the embedded stack only if it sends the provider exactly the request Llama Stack sent
 * for the same test id. Recordings are copied to a temp dir (the proxy writes an index next to them).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { DEFAULT_PROVIDER_ROUTES, hashOfRecording, readRecording, startRecordingProxy, type RecordingProxy } from "@llama-stack-tests/recording";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedStack, type EmbeddedStackHandle } from "../src/index.js";
import { postJson, sseData } from "./server-harness.js";

const UPSTREAM = join(import.meta.dirname, "../../../../shared/llama-stack-upstream/tests/integration");

interface Recording {
  test_id: string;
  request: { url: string; endpoint: string; body: Record<string, unknown> };
  response: { body: unknown; is_streaming: boolean };
}

/** Upstream keeps recordings in <api>/recordings/<hash>.json. */
function recordingFiles(): string[] {
  if (!existsSync(UPSTREAM)) return [];
  return readdirSync(UPSTREAM).flatMap((api) => {
    const dir = join(UPSTREAM, api, "recordings");
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => join(dir, f)) : [];
  });
}

const allRecordings = recordingFiles().map((file) => ({ file, rec: JSON.parse(readFileSync(file, "utf8")) as Recording }));

const recordings: Recording[] = allRecordings
  // Legacy files whose name is not their request's hash cannot be hit by any client.
  .filter(({ file }) => basename(file) === `${hashOfRecording(readRecording(file))}.json`)
  .map(({ rec }) => rec)
  .filter((r) => r.test_id && r.request.endpoint !== "/v1/models" && providerOf(r) !== null)
  // An empty extra_body cannot come from a client request (upstream only adds a non-empty one).
  .filter((r) => !isEmptyObject(r.request.body.extra_body));

/**
 * Requests recorded more than once (same test id and body, legacy files included) may replay either
 * answer: only the hit is checked for them.
 */
const recordedTwice = (() => {
  const key = (r: Recording) => `${r.test_id}\n${JSON.stringify(r.request.body)}`;
  const counts = new Map<string, number>();
  for (const { rec } of allRecordings) counts.set(key(rec), (counts.get(key(rec)) ?? 0) + 1);
  return (r: Recording) => (counts.get(key(r)) ?? 0) > 1;
})();

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.keys(value).length === 0;
}

/** Stack provider id of a recording, from the base URL upstream's CI used. */
function providerOf(rec: Recording): "ollama" | "vllm" | "openai" | null {
  if (rec.request.url?.startsWith("http://0.0.0.0:11434/v1/v1/")) return "ollama";
  if (rec.request.url?.startsWith("http://localhost:8000/v1/v1/")) return "vllm";
  if (rec.request.url?.startsWith("https://api.openai.com/v1/v1/")) return "openai";
  return null;
}

/** The request a client sent: upstream nests unknown keys under extra_body on the way to the provider. */
function clientBody(rec: Recording): Record<string, unknown> {
  const { extra_body: extra, ...rest } = rec.request.body;
  return { ...rest, ...(extra as Record<string, unknown> | undefined), model: `${providerOf(rec)}/${String(rest.model)}` };
}

let work: string;
let proxy: RecordingProxy;
let stack: EmbeddedStackHandle;

beforeAll(async () => {
  if (recordings.length === 0) return;
  work = mkdtempSync(join(tmpdir(), "embedded-stack-replay-"));
  // Session-level recordings (common/) answer the stack's start-up model refresh.
  for (const api of readdirSync(UPSTREAM)) {
    const dir = join(UPSTREAM, api, "recordings");
    if (existsSync(dir)) cpSync(dir, join(work, "recordings", api, "recordings"), { recursive: true });
  }
  const routes = ["ollama", "vllm", "openai"].map((name) => {
    const route = DEFAULT_PROVIDER_ROUTES[name];
    if (!route) throw new Error(`the recording package has no ${name} route`);
    return { ...route, target: undefined };
  });
  proxy = await startRecordingProxy({ mode: "replay", recordingsDir: join(work, "recordings"), providers: routes, host: "127.0.0.1", port: 0 });
  stack = await startEmbeddedStack({
    port: 0,
    dataDir: join(work, "data"),
    env: {
      OLLAMA_URL: `${proxy.url}/ollama/v1`,
      VLLM_URL: `${proxy.url}/vllm/v1`,
      OPENAI_BASE_URL: `${proxy.url}/openai/v1`,
      SAFETY_MODEL: "ollama/llama-guard3:1b",
    },
  });
});
afterAll(async () => {
  await stack?.close();
  await proxy?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The assistant text of a recorded response (one object, or the chunks of a stream). */
function recordedText(rec: Recording): string {
  const body = rec.response.body as { __data__: Record<string, unknown> } | { __data__: Record<string, unknown> }[];
  const parts = Array.isArray(body) ? body : [body];
  return parts
    .map((p) => {
      const choice = (p.__data__.choices as Record<string, unknown>[] | undefined)?.[0];
      const delta = (choice?.delta ?? choice?.message) as { content?: string | null } | undefined;
      return delta?.content ?? (choice?.text as string | undefined) ?? "";
    })
    .join("");
}

describe.skipIf(recordings.length === 0)("fidelity replay of upstream's ollama, vLLM and OpenAI recordings (skipped when ../shared is absent)", () => {
  it("discovers ollama's models from the recorded model list at start-up", async () => {
    const list = (await (await fetch(`${stack.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(list.data.map((m) => m.id)).toContain("ollama/llama3.2:3b-instruct-fp16");
  });

  it(`hits the recording for each of ${recordings.length} upstream requests and returns its content`, { timeout: 180_000 }, async () => {
    const misses: string[] = [];
    for (const rec of recordings) {
      const res = await postJson(`${stack.url}${rec.request.endpoint}`, clientBody(rec), {
        "x-llamastack-provider-data": JSON.stringify({ __test_id: rec.test_id }),
      });
      const text = await res.text();
      if (res.status !== 200 || text.includes("recording_not_found")) {
        misses.push(`${rec.test_id}: ${res.status} ${text.slice(0, 200)}`);
        continue;
      }
      if (recordedTwice(rec)) continue;
      if (rec.request.endpoint === "/v1/embeddings") {
        const recorded = (rec.response.body as { __data__: { data: { embedding: unknown }[] } }).__data__.data;
        const answered = (JSON.parse(text) as { data: { embedding: unknown }[] }).data;
        expect(answered.map((d) => d.embedding), rec.test_id).toEqual(recorded.map((d) => d.embedding));
        continue;
      }
      const got = rec.response.is_streaming
        ? sseData(text)
            .map((f) => JSON.parse(f) as { choices?: { delta?: { content?: string | null }; text?: string }[] })
            .map((c) => c.choices?.[0]?.delta?.content ?? c.choices?.[0]?.text ?? "")
            .join("")
        : (() => {
            const c = (JSON.parse(text) as { choices: { message?: { content?: string | null }; text?: string }[] }).choices[0];
            return c?.message?.content ?? c?.text ?? "";
          })();
      expect(got, rec.test_id).toBe(recordedText(rec));
    }
    expect(misses).toEqual([]);
  });
});

/** Llama Guard prompts upstream sent; the conversation in each is turned back into the API call that produced it. */
const GUARD_PREFIX = "Task: Check if there is unsafe content in ";
const guardCalls = recordings
  .filter((r) => r.test_id.startsWith("tests/integration/safety/") && providerOf(r) === "ollama")
  // Older recordings predate upstream's guard call at temperature 0.0; today's upstream cannot send them either.
  .filter((r) => r.request.body.temperature === 0)
  .map((r) => {
    const messages = r.request.body.messages as { content: unknown }[] | undefined;
    const prompt = messages?.[0]?.content;
    if (typeof prompt !== "string" || !prompt.startsWith(GUARD_PREFIX)) return null;
    const conversation = /<BEGIN CONVERSATION>\n\n([\s\S]*)\n\n<END CONVERSATION>/.exec(prompt)?.[1] ?? "";
    const turns = conversation.split(/\n\n(?=(?:User|Assistant|System|Tool|Developer): )/).map((turn) => {
      const colon = turn.indexOf(": ");
      return { role: turn.slice(0, colon).toLowerCase(), content: turn.slice(colon + 2) };
    });
    return { rec: r, turns };
  })
  .filter((c): c is { rec: Recording; turns: { role: string; content: string }[] } => c !== null);

describe.skipIf(guardCalls.length === 0)("fidelity replay of upstream's Llama Guard prompts (skipped when ../shared is absent)", () => {
  it(`rebuilds each of ${guardCalls.length} guard prompts byte for byte (moderations for user-only turns, run-shield otherwise)`, { timeout: 60_000 }, async () => {
    const headers = (rec: Recording) => ({ "x-llamastack-provider-data": JSON.stringify({ __test_id: rec.test_id }) });
    for (const { rec, turns } of guardCalls) {
      // A prompt recorded twice with different verdicts replays either one: only the hit is checked.
      const verdict = recordedTwice(rec) ? null : recordedText(rec).trim();
      const userOnly = turns.every((t) => t.role === "user");
      if (userOnly) {
        const res = await postJson(`${stack.url}/v1/moderations`, { input: turns.map((t) => t.content), model: "ollama/llama-guard3:1b" }, headers(rec));
        expect(res.status, `${rec.test_id}: ${await res.clone().text()}`).toBe(200);
        const body = (await res.json()) as { results: { flagged: boolean }[] };
        if (verdict !== null) expect(body.results[0]?.flagged, rec.test_id).toBe(verdict.startsWith("unsafe"));
      } else {
        const res = await postJson(`${stack.url}/v1/safety/run-shield`, { shield_id: "llama-guard", messages: turns, params: {} }, headers(rec));
        expect(res.status, `${rec.test_id}: ${await res.clone().text()}`).toBe(200);
        const body = (await res.json()) as { violation: unknown };
        if (verdict !== null) expect(body.violation !== null, rec.test_id).toBe(verdict.startsWith("unsafe"));
      }
    }
  });
});
