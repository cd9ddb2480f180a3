/**
 * Fidelity replay: upstream's own recordings (../shared), served by the real recording proxy in replay
 * mode, answer the embedded stack only if it sends the provider exactly the request Llama Stack sent
 * for the same test id. Recordings are copied to a temp dir (the proxy writes an index next to them).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PROVIDER_ROUTES, startRecordingProxy, type RecordingProxy } from "@llama-stack-tests/recording";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedStack, type EmbeddedStackHandle } from "../src/index.js";
import { postJson, sseData } from "./server-harness.js";

const UPSTREAM = join(import.meta.dirname, "../../../../shared/llama-stack-upstream/tests/integration/inference/recordings");

interface Recording {
  test_id: string;
  request: { url: string; endpoint: string; body: Record<string, unknown> };
  response: { body: unknown; is_streaming: boolean };
}

const recordings: Recording[] = existsSync(UPSTREAM)
  ? readdirSync(UPSTREAM)
      .filter((f) => f.endsWith(".json"))
      .map((f) => JSON.parse(readFileSync(join(UPSTREAM, f), "utf8")) as Recording)
      .filter((r) => r.test_id && r.request.url?.startsWith("http://0.0.0.0:11434/v1/v1/") && !("extra_body" in r.request.body))
  : [];

let work: string;
let proxy: RecordingProxy;
let stack: EmbeddedStackHandle;

beforeAll(async () => {
  if (recordings.length === 0) return;
  work = mkdtempSync(join(tmpdir(), "embedded-stack-replay-"));
  cpSync(UPSTREAM, join(work, "recordings", "inference", "recordings"), { recursive: true });
  // Session-level recordings (model lists) answer the stack's start-up model refresh.
  const common = join(UPSTREAM, "../../common/recordings");
  if (existsSync(common)) cpSync(common, join(work, "recordings", "common", "recordings"), { recursive: true });
  const ollama = DEFAULT_PROVIDER_ROUTES.ollama;
  if (!ollama) throw new Error("the recording package has no ollama route");
  proxy = await startRecordingProxy({ mode: "replay", recordingsDir: join(work, "recordings"), providers: [{ ...ollama, target: undefined }], host: "127.0.0.1", port: 0 });
  stack = await startEmbeddedStack({ port: 0, dataDir: join(work, "data"), env: { OLLAMA_URL: `${proxy.url}/ollama/v1` } });
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

describe.skipIf(recordings.length === 0)("fidelity replay of upstream's ollama recordings (skipped when ../shared is absent)", () => {
  it("discovers ollama's models from the recorded model list at start-up", async () => {
    const list = (await (await fetch(`${stack.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(list.data.map((m) => m.id)).toContain("ollama/llama3.2:3b-instruct-fp16");
  });

  it(`hits the recording for each of ${recordings.length} upstream requests and returns its content`, async () => {
    const misses: string[] = [];
    for (const rec of recordings) {
      const body = { ...rec.request.body, model: `ollama/${String(rec.request.body.model)}` };
      const res = await postJson(`${stack.url}${rec.request.endpoint}`, body, {
        "x-llamastack-provider-data": JSON.stringify({ __test_id: rec.test_id }),
      });
      const text = await res.text();
      if (res.status !== 200 || text.includes("recording_not_found")) {
        misses.push(`${rec.test_id}: ${res.status} ${text.slice(0, 200)}`);
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
