import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestHash, startRecordingProxy, TEST_ID_HEADER, type InferenceMode, type RecordingProxy } from "../src/index.js";
import { startFakeProvider, type FakeProvider } from "./upstream.js";

// Response bodies are checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const anyJson = (x: unknown): any => x;

const TEST_ID = "tests/integration/inference/test_openai_completion.py::test_chat[txt=llama-cpp/tiny]";
let provider: FakeProvider;
let dir: string;

beforeAll(async () => {
  provider = await startFakeProvider();
  dir = mkdtempSync(join(tmpdir(), "rec-proxy-"));
});
afterAll(async () => {
  await provider.close();
  rmSync(dir, { recursive: true, force: true });
});

async function withProxy<T>(mode: InferenceMode, fn: (p: RecordingProxy) => Promise<T>, recordingsDir = dir): Promise<T> {
  const p = await startRecordingProxy({ mode, recordingsDir, providers: [{ name: "llama-cpp", target: provider.url, recordedBase: "http://127.0.0.1:8080/v1" }] });
  try {
    return await fn(p);
  } finally {
    await p.close();
  }
}

function chat(p: RecordingProxy, body: object, headers: Record<string, string> = {}) {
  return fetch(`${p.url}/llama-cpp/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", [TEST_ID_HEADER]: TEST_ID, ...headers },
    body: JSON.stringify(body),
  });
}

function listFiles(d: string): string[] {
  return readdirSync(d, { recursive: true }).map(String).filter((f) => f.endsWith(".json")).sort();
}

describe("recording proxy", () => {
  const body = { model: "tiny", messages: [{ role: "user", content: "hello" }], temperature: 0.0 };

  it("record writes <api>/<hash>.json hashed as upstream, then replay answers it without the provider", async () => {
    const before = provider.received.length;
    const recorded = await withProxy("record", async (p) => (await chat(p, body)).json().then(anyJson));
    expect(provider.received.length).toBe(before + 1);
    const hash = requestHash({ method: "POST", endpoint: "/v1/v1/chat/completions", body: { model: "tiny", messages: [{ role: "user", content: "hello" }], temperature: 0 }, testId: TEST_ID });
    // temperature 0.0 arrives as "0" through JSON.stringify; the hash uses the literal that was sent.
    const file = join(dir, "inference", `${hash}.json`);
    const rec = JSON.parse(readFileSync(file, "utf8"));
    expect(rec.test_id).toBe(TEST_ID);
    expect(rec.request.url).toBe("http://127.0.0.1:8080/v1/v1/chat/completions");
    expect(rec.request.endpoint).toBe("/v1/chat/completions");
    expect(rec.response.body.__type__).toBe("openai.types.chat.chat_completion.ChatCompletion");
    expect(rec.response.body.__data__.id).toBe(`rec-${hash.slice(0, 12)}`);
    expect(rec.response.body.__data__.created).toBe(0);

    const replayed = await withProxy("replay", async (p) => {
      const r = await chat(p, body);
      expect(r.status).toBe(200);
      return r.json().then(anyJson);
    });
    expect(provider.received.length).toBe(before + 1);
    expect(replayed.choices).toEqual(recorded.choices);
    expect(replayed.id).toBe(`rec-${hash.slice(0, 12)}`);
  });

  it("streams SSE through in record mode and replays the same chunks with [DONE]", async () => {
    const sbody = { ...body, stream: true, messages: [{ role: "user", content: "stream me" }] };
    const live = await withProxy("record", async (p) => (await chat(p, sbody)).text());
    expect(live).toContain("data: [DONE]");
    const replayed = await withProxy("replay", async (p) => {
      const r = await chat(p, sbody);
      expect(r.headers.get("content-type")).toContain("text/event-stream");
      return r.text();
    });
    const contents = (t: string) => t.split("\n\n").filter((e) => e.startsWith("data: {")).map((e) => JSON.parse(e.slice(6)).choices[0].delta.content).join("");
    expect(contents(replayed)).toBe("echo:stream me");
    expect(contents(live)).toBe("echo:stream me");
    expect(replayed.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("records provider errors with their status and replays them", async () => {
    const bad = { ...body, model: "bad" };
    const s1 = await withProxy("record", async (p) => (await chat(p, bad)).status);
    expect(s1).toBe(400);
    const r = await withProxy("replay", async (p) => {
      const res = await chat(p, bad);
      return { status: res.status, body: await res.json().then(anyJson) };
    });
    expect(r, JSON.stringify(r.body)).toMatchObject({ status: 400 });
    expect(r.body.error.code).toBe("model_not_found");
  });

  it("records a stream that breaks mid-way and breaks the replay after the same chunks", async () => {
    const br = { ...body, model: "break", stream: true };
    await withProxy("record", async (p) => {
      const res = await chat(p, br);
      await expect(res.text()).rejects.toThrow();
    });
    const file = listFiles(join(dir, "inference")).map((f) => JSON.parse(readFileSync(join(dir, "inference", f), "utf8"))).find((x) => x.request.model === "break");
    expect(file.response.is_streaming).toBe(true);
    expect(file.response.body).toHaveLength(2);
    expect(typeof file.response.stream_error).toBe("string");
    await withProxy("replay", async (p) => {
      const res = await chat(p, br);
      await expect(res.text()).rejects.toThrow();
    });
  });

  it("replay miss answers 500 naming hash, test id, endpoint, closest recording with a body diff, and the record command", async () => {
    const res = await withProxy("replay", (p) => chat(p, { ...body, messages: [{ role: "user", content: "hello!" }] }));
    expect(res.status).toBe(500);
    const err = (await res.json().then(anyJson)).error;
    expect(err.type).toBe("recording_not_found");
    expect(err.message).toContain(err.hash);
    expect(err.message).toContain(TEST_ID);
    expect(err.message).toContain("POST /v1/chat/completions");
    expect(err.message).toContain("model: tiny");
    expect(err.message).toMatch(/body\.messages\[0\]\.content: recorded "hello" → requested "hello!"/);
    expect(err.record_command).toBe('LLAMA_STACK_TEST_INFERENCE_MODE=record-if-missing pnpm turbo run test --filter=inference -- -t "test_chat"');
    expect(err.message).toContain(err.record_command);
  });

  it("record-if-missing replays hits and records misses; live never writes", async () => {
    const n0 = provider.received.length;
    const files0 = listFiles(dir).length;
    await withProxy("record-if-missing", async (p) => {
      expect((await chat(p, body)).status).toBe(200); // hit
      expect(provider.received.length).toBe(n0);
      expect((await chat(p, { ...body, messages: [{ role: "user", content: "new" }] })).status).toBe(200); // miss
      expect(provider.received.length).toBe(n0 + 1);
    });
    expect(listFiles(dir).length).toBe(files0 + 1);
    await withProxy("live", async (p) => {
      expect((await chat(p, { ...body, messages: [{ role: "user", content: "live only" }] })).status).toBe(200);
    });
    expect(provider.received.length).toBe(n0 + 2);
    expect(listFiles(dir).length).toBe(files0 + 1);
  });

  it("forwards credentials to the provider but never writes them, nor the test id header", async () => {
    const secret = "sk-test-SECRET-0123456789";
    await withProxy("record", async (p) => {
      const r = await fetch(`${p.url}/llama-cpp/v1/chat/completions?api_key=${secret}&x=1`, {
        method: "POST",
        headers: { "content-type": "application/json", [TEST_ID_HEADER]: TEST_ID, authorization: `Bearer ${secret}`, "x-api-key": secret, "api-key": secret, cookie: `s=${secret}` },
        body: JSON.stringify({ ...body, messages: [{ role: "user", content: "secret test" }] }),
      });
      expect(r.status).toBe(200);
    });
    const got = provider.received.at(-1)!;
    expect(got.headers.authorization).toBe(`Bearer ${secret}`);
    expect(got.headers[TEST_ID_HEADER]).toBeUndefined();
    const all = listFiles(dir).map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
    expect(all).toContain("secret test");
    expect(all).not.toContain(secret);
    expect(all.toLowerCase()).not.toContain("authorization");
  });

  it("model lists: GET /v1/models recorded as models-<hash>-<digest>.json and replayed as an OpenAI list", async () => {
    const get = (p: RecordingProxy) => fetch(`${p.url}/llama-cpp/v1/models`, { headers: { [TEST_ID_HEADER]: TEST_ID } });
    await withProxy("record", async (p) => expect((await get(p)).status).toBe(200));
    const models = listFiles(dir).filter((f) => f.includes("models-"));
    expect(models).toHaveLength(1);
    const r = await withProxy("replay", async (p) => (await get(p)).json().then(anyJson));
    expect(r.object).toBe("list");
    expect(r.data.map((m: { id: string }) => m.id)).toEqual(["m-a", "m-b"]);
    expect(r.data[0].created).toBe(6);
  });

  it("multipart uploads hash on part digests, not the random boundary", async () => {
    const upload = async (p: RecordingProxy) => {
      const fd = new FormData();
      fd.append("purpose", "assistants");
      fd.append("file", new Blob([Buffer.from("file bytes \u0000\u0001")], { type: "application/pdf" }), "a.pdf");
      return fetch(`${p.url}/llama-cpp/v1/files`, { method: "POST", body: fd, headers: { [TEST_ID_HEADER]: TEST_ID } });
    };
    await withProxy("record", async (p) => expect((await upload(p)).status).toBe(200));
    const n = provider.received.length;
    const r = await withProxy("replay", async (p) => upload(p));
    expect(r.status).toBe(200);
    expect(provider.received.length).toBe(n);
    const rec = listFiles(dir).map((f) => JSON.parse(readFileSync(join(dir, f), "utf8"))).find((x) => x.request.endpoint === "/v1/files");
    expect(rec.request.body.__multipart__).toEqual([
      { name: "purpose", value: "assistants" },
      { name: "file", filename: "a.pdf", content_type: "application/pdf", sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: 13 },
    ]);
  });

  it("binary responses are stored base64 and replayed byte for byte", async () => {
    const get = (p: RecordingProxy) => fetch(`${p.url}/llama-cpp/v1/binary`, { method: "POST", headers: { [TEST_ID_HEADER]: TEST_ID } });
    await withProxy("record", async (p) => expect((await get(p)).status).toBe(200));
    const bytes = await withProxy("replay", async (p) => Buffer.from(await (await get(p)).arrayBuffer()));
    expect([...bytes]).toEqual([0, 1, 2, 255]);
  });

  it("unknown routes and missing targets give actionable errors", async () => {
    await withProxy("replay", async (p) => {
      const r = await fetch(`${p.url}/nope/v1/models`);
      expect(r.status).toBe(404);
      expect((await r.json().then(anyJson)).error.message).toContain("llama-cpp");
    });
    const p = await startRecordingProxy({ mode: "record", recordingsDir: dir, providers: [{ name: "x", recordedBase: "http://h/v1" }] });
    try {
      const r = await fetch(`${p.url}/x/v1/chat/completions`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
      expect(r.status).toBe(502);
      expect((await r.json().then(anyJson)).error.message).toContain("--route x=");
    } finally {
      await p.close();
    }
  });
});
