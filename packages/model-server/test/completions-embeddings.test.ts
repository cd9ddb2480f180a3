import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSse, PRINTABLE, startTestServer, type TestServer } from "./helpers.js";

const MODEL = "tiny-random-llama";
const EMBED = "tiny-random-llama-embed";

describe("POST /v1/completions", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("completes a prompt list, one choice per prompt, with logprobs and echo", async () => {
    const { status, json } = await t.post("/v1/completions", { model: MODEL, prompt: ["Once upon", "A time"], max_tokens: 5, temperature: 0, logprobs: 2, echo: true });
    expect(status).toBe(200);
    expect(json.object).toBe("text_completion");
    expect(json.choices.map((c: any) => c.index)).toEqual([0, 1]);
    const [first] = json.choices;
    expect(first.text.startsWith("Once upon")).toBe(true);
    expect(first.text).toMatch(PRINTABLE);
    expect(first.logprobs.tokens).toHaveLength(5);
    expect(first.logprobs.token_logprobs.every((l: number) => l <= 0)).toBe(true);
    expect(Object.keys(first.logprobs.top_logprobs[0]).length).toBeLessThanOrEqual(2);
    expect(first.logprobs.text_offset[0]).toBe("Once upon".length);
    expect(json.usage.completion_tokens).toBe(10);
  });

  it("answers exactly one of vLLM's guided_choice strings", async () => {
    for (const seed of [1, 2, 3]) {
      const { status, json } = await t.post("/v1/completions", { model: MODEL, prompt: "I am sad.", guided_choice: ["joy", "sadness"], seed });
      expect(status).toBe(200);
      expect(["joy", "sadness"]).toContain(json.choices[0].text);
    }
  });

  it("accepts token ids as the prompt", async () => {
    // Byte tokens follow <unk>, <s>, </s>: the id of byte b is b + 3.
    const ids = [..."Hi"].map((c) => c.charCodeAt(0) + 3);
    const { json } = await t.post("/v1/completions", { model: MODEL, prompt: ids, max_tokens: 2, temperature: 0, echo: true });
    expect(json.choices[0].text.startsWith("Hi")).toBe(true);
    const text = await t.post("/v1/completions", { model: MODEL, prompt: "Hi", max_tokens: 2, temperature: 0, echo: true });
    expect(json.choices[0].text).toBe(text.json.choices[0].text);
  });

  it("streams text chunks that add up to the non-streamed text", async () => {
    const req = { model: MODEL, prompt: "Say completions", max_tokens: 6, temperature: 0 };
    const whole = (await t.post("/v1/completions", req)).json.choices[0].text;
    const raw = await t.postRaw("/v1/completions", { ...req, stream: true });
    const { events, done } = parseSse(raw.text);
    expect(done).toBe(true);
    expect(events.map((e) => e.choices[0].text).join("")).toBe(whole);
    expect(events.at(-1).choices[0].finish_reason).toBe("length");
  });
});

describe("POST /v1/embeddings", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("returns one 64-dimensional unit vector per input, deterministically", async () => {
    const { status, json } = await t.post("/v1/embeddings", { model: EMBED, input: ["alpha", "beta", "alpha"] });
    expect(status).toBe(200);
    expect(json.object).toBe("list");
    expect(json.model).toBe(EMBED);
    expect(json.data.map((d: any) => d.index)).toEqual([0, 1, 2]);
    for (const d of json.data) {
      expect(d.object).toBe("embedding");
      expect(d.embedding).toHaveLength(64);
      const norm = Math.sqrt(d.embedding.reduce((s: number, x: number) => s + x * x, 0));
      expect(norm).toBeCloseTo(1, 5);
    }
    expect(json.data[2].embedding).toEqual(json.data[0].embedding);
    expect(json.data[1].embedding).not.toEqual(json.data[0].embedding);
    const again = await t.post("/v1/embeddings", { model: EMBED, input: "alpha" });
    expect(again.json.data[0].embedding).toEqual(json.data[0].embedding);
    expect(json.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("encodes base64 as little-endian float32 and truncates to `dimensions`", async () => {
    const float = (await t.post("/v1/embeddings", { model: EMBED, input: "gamma", encoding_format: "float" })).json.data[0].embedding;
    const b64 = (await t.post("/v1/embeddings", { model: EMBED, input: "gamma", encoding_format: "base64" })).json.data[0].embedding;
    expect(typeof b64).toBe("string");
    const buf = Buffer.from(b64, "base64");
    const decoded = Array.from({ length: buf.length / 4 }, (_, i) => buf.readFloatLE(i * 4));
    expect(decoded).toHaveLength(64);
    decoded.forEach((x, i) => expect(x).toBeCloseTo(float[i], 6));

    const short = (await t.post("/v1/embeddings", { model: EMBED, input: "gamma", dimensions: 16 })).json.data[0].embedding;
    expect(short).toHaveLength(16);
    expect(Math.sqrt(short.reduce((s: number, x: number) => s + x * x, 0))).toBeCloseTo(1, 5);
  });
});

describe("errors", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  const cases: Array<[string, string, unknown, number, string | null]> = [
    ["unknown model", "/v1/chat/completions", { model: "nope", messages: [{ role: "user", content: "x" }] }, 404, "model"],
    ["missing messages", "/v1/chat/completions", { model: MODEL }, 400, "messages"],
    ["bad role", "/v1/chat/completions", { model: MODEL, messages: [{ role: "wizard", content: "x" }] }, 400, "messages[0].role"],
    ["temperature out of range", "/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: "x" }], temperature: 9 }, 400, "temperature"],
    ["max_tokens not an integer", "/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: "x" }], max_tokens: 1.5 }, 400, "max_tokens"],
    ["tool_choice names a missing function", "/v1/chat/completions", {
      model: MODEL, messages: [{ role: "user", content: "x" }],
      tools: [{ type: "function", function: { name: "a", parameters: { type: "object", properties: {} } } }],
      tool_choice: { type: "function", function: { name: "b" } },
    }, 400, "tool_choice"],
    ["tool_choice required without tools", "/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: "x" }], tool_choice: "required" }, 400, "tool_choice"],
    ["embedding model used for chat", "/v1/chat/completions", { model: EMBED, messages: [{ role: "user", content: "x" }] }, 400, "model"],
    ["prompt longer than the context", "/v1/completions", { model: MODEL, prompt: "x".repeat(9000), stream: true }, 400, "prompt"],
    ["token id outside the vocabulary", "/v1/completions", { model: MODEL, prompt: [1, 99999] }, 400, "prompt"],
    ["missing prompt", "/v1/completions", { model: MODEL }, 400, "prompt"],
    ["empty guided_choice", "/v1/completions", { model: MODEL, prompt: "x", guided_choice: [] }, 400, "guided_choice"],
    ["empty embedding input", "/v1/embeddings", { model: EMBED, input: "" }, 400, "input"],
    ["bad encoding_format", "/v1/embeddings", { model: EMBED, input: "x", encoding_format: "hex" }, 400, "encoding_format"],
    ["dimensions too large", "/v1/embeddings", { model: EMBED, input: "x", dimensions: 65 }, 400, "dimensions"],
    ["chat model used for embeddings", "/v1/embeddings", { model: MODEL, input: "x" }, 400, "model"],
  ];

  it.each(cases)("%s -> OpenAI error envelope", async (_name, route, body, status, param) => {
    const res = await t.post(route, body);
    expect(res.status).toBe(status);
    expect(res.json.error.param).toBe(param);
    expect(res.json.error.type).toBe("invalid_request_error");
    if (param) expect(res.json.error.message).toContain(param === "messages[0].role" ? "role" : param);
  });

  it("answers malformed JSON and unknown routes with the envelope", async () => {
    const bad = await t.postRaw("/v1/chat/completions", "{not json");
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.message).toMatch(/JSON/);
    const missing = await t.post("/v1/nothing", {});
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toContain("/v1/nothing");
  });
});
