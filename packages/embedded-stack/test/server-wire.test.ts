import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROKEN_STREAM_MODEL } from "./server-fake-provider.js";
import { postJson, sseData, startHarness, type Harness } from "./server-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const MODEL = "llama-cpp/tiny-random-llama";

describe("wire format", () => {
  it("answers health and version", async () => {
    expect(await (await fetch(`${h.url}/v1/health`)).json()).toEqual({ status: "OK" });
    const version = (await (await fetch(`${h.url}/v1/version`)).json()) as { version: string };
    expect(version.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("answers an unknown route with FastAPI's 404", async () => {
    const res = await fetch(`${h.url}/v1/no-such-route`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: "Not Found" });
  });

  it("answers a served path under another method with FastAPI's 405", async () => {
    const res = await fetch(`${h.url}/v1/models/llama-cpp/tiny-random-llama`, { method: "POST" });
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({ detail: "Method Not Allowed" });
  });

  it("reports malformed JSON as a 400 json_invalid error", async () => {
    const res = await fetch(`${h.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{bad" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { detail: { errors: [{ loc: ["body", 1], msg: "JSON decode error", type: "json_invalid" }] } } });
  });

  const malformed: { name: string; path: string; body: unknown; errors: { loc: (string | number)[]; msg: string; type: string }[] }[] = [
    { name: "chat without model", path: "/v1/chat/completions", body: { messages: [{ role: "user", content: "hi" }] }, errors: [{ loc: ["body", "model"], msg: "Field required", type: "missing" }] },
    { name: "chat with no messages", path: "/v1/chat/completions", body: { model: MODEL, messages: [] }, errors: [{ loc: ["body", "messages"], msg: "List should have at least 1 item after validation, not 0", type: "too_short" }] },
    { name: "chat with messages not a list", path: "/v1/chat/completions", body: { model: MODEL, messages: "hi" }, errors: [{ loc: ["body", "messages"], msg: "Input should be a valid list", type: "list_type" }] },
    { name: "chat with a bad role", path: "/v1/chat/completions", body: { model: MODEL, messages: [{ role: "robot", content: "x" }] }, errors: [{ loc: ["body", "messages", 0], msg: "Input tag 'robot' found using 'role' does not match any of the expected tags: 'user', 'system', 'assistant', 'tool', 'developer'", type: "union_tag_invalid" }] },
    { name: "chat with a message without role", path: "/v1/chat/completions", body: { model: MODEL, messages: [{ content: "x" }] }, errors: [{ loc: ["body", "messages", 0], msg: "Unable to extract tag using discriminator 'role'", type: "union_tag_not_found" }] },
    { name: "chat with a user message without content", path: "/v1/chat/completions", body: { model: MODEL, messages: [{ role: "user" }] }, errors: [{ loc: ["body", "messages", 0, "user", "content"], msg: "Field required", type: "missing" }] },
    { name: "chat with a string message", path: "/v1/chat/completions", body: { model: MODEL, messages: ["hi"] }, errors: [{ loc: ["body", "messages", 0], msg: "Input should be a valid dictionary or object to extract fields from", type: "model_attributes_type" }] },
    { name: "chat with a string temperature", path: "/v1/chat/completions", body: { model: MODEL, messages: [{ role: "user", content: "x" }], temperature: "hot" }, errors: [{ loc: ["body", "temperature"], msg: "Input should be a valid number, unable to parse string as a number", type: "float_parsing" }] },
    { name: "chat with an object temperature", path: "/v1/chat/completions", body: { model: MODEL, messages: [{ role: "user", content: "x" }], temperature: {} }, errors: [{ loc: ["body", "temperature"], msg: "Input should be a valid number", type: "float_type" }] },
    { name: "completion with an integer logprobs", path: "/v1/completions", body: { model: MODEL, prompt: "x", logprobs: 5 }, errors: [{ loc: ["body", "logprobs"], msg: "Input should be a valid boolean, unable to interpret input", type: "bool_parsing" }] },
    { name: "chat with a fractional max_tokens", path: "/v1/chat/completions", body: { model: MODEL, messages: [{ role: "user", content: "x" }], max_tokens: 1.5 }, errors: [{ loc: ["body", "max_tokens"], msg: "Input should be a valid integer, got a number with a fractional part", type: "int_from_float" }] },
    { name: "chat with a non-numeric n", path: "/v1/chat/completions", body: { model: MODEL, messages: [{ role: "user", content: "x" }], n: "two" }, errors: [{ loc: ["body", "n"], msg: "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing" }] },
    { name: "completion without prompt", path: "/v1/completions", body: { model: MODEL }, errors: [{ loc: ["body", "prompt"], msg: "Field required", type: "missing" }] },
    { name: "embeddings without input", path: "/v1/embeddings", body: { model: MODEL }, errors: [{ loc: ["body", "input"], msg: "Field required", type: "missing" }] },
    { name: "run-shield without params", path: "/v1/safety/run-shield", body: { shield_id: "llama-guard", messages: [] }, errors: [{ loc: ["body", "params"], msg: "Field required", type: "missing" }] },
    { name: "register model without id", path: "/v1/models", body: {}, errors: [{ loc: ["body", "model_id"], msg: "Field required", type: "missing" }] },
    { name: "register model with a bad type", path: "/v1/models", body: { model_id: "m", model_type: "vision" }, errors: [{ loc: ["body", "model_type"], msg: "Input should be 'llm', 'embedding' or 'rerank'", type: "enum" }] },
    { name: "moderation without input", path: "/v1/moderations", body: {}, errors: [{ loc: ["body", "input"], msg: "Field required", type: "missing" }] },
  ];
  it.each(malformed)("400 for $name", async ({ path, body, errors }) => {
    const res = await postJson(`${h.url}${path}`, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { detail: { errors } } });
  });

  it("400 with detail.errors for a bad query parameter", async () => {
    const res = await fetch(`${h.url}/v1/chat/completions?order=sideways`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { detail: { errors: { loc: unknown[] }[] } } };
    expect(body.error.detail.errors[0]?.loc).toEqual(["query", "order"]);
  });

  it("frames a stream as data lines without [DONE]", async () => {
    const res = await postJson(`${h.url}/v1/chat/completions`, { model: MODEL, messages: [{ role: "user", content: "hi" }], stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await res.text();
    expect(text.endsWith("\n\n")).toBe(true);
    const frames = sseData(text);
    expect(frames).not.toContain("[DONE]");
    const chunks = frames.map((f) => JSON.parse(f) as { object: string; model: string });
    expect(chunks.length).toBe(2);
    for (const c of chunks) {
      expect(c.object).toBe("chat.completion.chunk");
      expect(c.model).toBe(MODEL);
    }
  });

  it("sends an error raised while streaming as a final error frame", async () => {
    await postJson(`${h.url}/v1/models`, { model_id: BROKEN_STREAM_MODEL, provider_id: "llama-cpp" });
    const res = await postJson(`${h.url}/v1/chat/completions`, { model: `llama-cpp/${BROKEN_STREAM_MODEL}`, messages: [{ role: "user", content: "hi" }], stream: true });
    expect(res.status).toBe(200);
    const frames = sseData(await res.text()).map((f) => JSON.parse(f) as Record<string, unknown>);
    expect(frames.length).toBe(2);
    expect(frames[1]).toEqual({ error: { message: "500: Internal server error: An unexpected error occurred." } });
  });

  it("reports an unknown model in a stream as an error frame, as upstream", async () => {
    const res = await postJson(`${h.url}/v1/chat/completions`, { model: "nope/none", messages: [{ role: "user", content: "hi" }], stream: true });
    const frames = sseData(await res.text()).map((f) => JSON.parse(f) as Record<string, unknown>);
    expect(frames).toEqual([
      { error: { message: "404: Model 'nope/none' not found. Use 'client.models.list()' to list available Models." } },
    ]);
  });

  it("forwards __test_id on every provider call and ignores malformed provider data", async () => {
    const before = h.provider.requests.length;
    const testId = "tests/integration/inference/test_x.py::test_y[txt=a]";
    await postJson(`${h.url}/v1/chat/completions`, { model: MODEL, messages: [{ role: "user", content: "hi" }] }, {
      "x-llamastack-provider-data": JSON.stringify({ __test_id: testId }),
    });
    await postJson(`${h.url}/v1/embeddings`, { model: "llama-cpp/tiny-random-llama-embed", input: "x" }, {
      "x-llamastack-provider-data": JSON.stringify({ __test_id: testId }),
    });
    const ok = await postJson(`${h.url}/v1/chat/completions`, { model: MODEL, messages: [{ role: "user", content: "hi" }] }, {
      "x-llamastack-provider-data": "{not json",
    });
    expect(ok.status).toBe(200);
    const sent = h.provider.requests.slice(before);
    expect(sent.map((r) => r.headers["x-llamastack-test-id"])).toEqual([testId, testId, undefined]);
  });

  it("answers a DELETE that returns nothing with 204 and no body", async () => {
    await postJson(`${h.url}/v1/models`, { model_id: "to-delete", provider_id: "llama-cpp" });
    const res = await fetch(`${h.url}/v1/models/llama-cpp/to-delete`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect((await fetch(`${h.url}/v1/models/llama-cpp/to-delete`)).status).toBe(404);
  });

  it("passes a provider's error status through", async () => {
    const res = await postJson(`${h.url}/v1/chat/completions`, { model: "llama-cpp/rate-limited", messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(429);
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toMatch(/^Error code: 429 - .*slow down/);
  });
});
