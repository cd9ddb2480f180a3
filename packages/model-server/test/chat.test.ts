import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSse, PRINTABLE, startTestServer, type TestServer } from "./helpers.js";

const MODEL = "tiny-random-llama";
const user = (content: string) => [{ role: "user", content }];

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Get the weather for a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string" }, days: { type: "integer" }, metric: { type: "boolean" } },
      required: ["city", "days", "metric"],
    },
  },
};
const timeTool = {
  type: "function",
  function: { name: "get_time", parameters: { type: "object", properties: { tz: { type: "string", enum: ["UTC", "CET"] } }, required: ["tz"] } },
};

describe("POST /v1/chat/completions", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("lists the served models", async () => {
    const res = await fetch(`${t.server.url}/v1/models`);
    const body = (await res.json()) as any;
    expect(body.object).toBe("list");
    expect(body.data.map((m: any) => m.id)).toEqual(["tiny-random-llama", "tiny-random-llama-embed", "tiny-random-llama-guard", "all-MiniLM-L6-v2"]);
  });

  it("answers non-streaming with printable text, usage and max_tokens respected", async () => {
    const { status, json } = await t.post("/v1/chat/completions", { model: MODEL, messages: user("Hello"), max_tokens: 8, temperature: 0 });
    expect(status).toBe(200);
    expect(json.object).toBe("chat.completion");
    expect(json.id).toMatch(/^chatcmpl-/);
    expect(json.model).toBe(MODEL);
    const choice = json.choices[0];
    expect(choice.message.role).toBe("assistant");
    expect(choice.message.content.length).toBeGreaterThan(0);
    expect(choice.message.content).toMatch(PRINTABLE);
    expect(choice.finish_reason).toBe("length");
    expect(json.usage.completion_tokens).toBe(8);
    expect(json.usage.total_tokens).toBe(json.usage.prompt_tokens + 8);
  });

  it("is deterministic with temperature 0 and with a fixed seed", async () => {
    const greedy = { model: MODEL, messages: user("Repeat"), max_tokens: 12, temperature: 0 };
    const a = await t.post("/v1/chat/completions", greedy);
    const b = await t.post("/v1/chat/completions", greedy);
    expect(a.json.choices[0].message.content).toBe(b.json.choices[0].message.content);

    const seeded = { model: MODEL, messages: user("Repeat"), max_tokens: 12, temperature: 1, seed: 1234 };
    const c = await t.post("/v1/chat/completions", seeded);
    const d = await t.post("/v1/chat/completions", seeded);
    expect(c.json.choices[0].message.content).toBe(d.json.choices[0].message.content);
  });

  it("streams SSE chunks whose text equals the non-streamed answer, then usage and [DONE]", async () => {
    const req = { model: MODEL, messages: user("Stream please"), max_tokens: 10, temperature: 0 };
    const whole = await t.post("/v1/chat/completions", req);
    const raw = await t.postRaw("/v1/chat/completions", { ...req, stream: true, stream_options: { include_usage: true } });
    expect(raw.status).toBe(200);
    expect(raw.contentType).toMatch(/^text\/event-stream/);
    const { events, done } = parseSse(raw.text);
    expect(done).toBe(true);
    for (const e of events) expect(e.object).toBe("chat.completion.chunk");
    expect(new Set(events.map((e) => e.id)).size).toBe(1);
    expect(events[0].choices[0].delta.role).toBe("assistant");
    const content = events.flatMap((e) => e.choices).map((c: any) => c.delta.content ?? "").join("");
    expect(content).toBe(whole.json.choices[0].message.content);
    const finish = events.flatMap((e) => e.choices).filter((c: any) => c.finish_reason);
    expect(finish.map((c: any) => c.finish_reason)).toEqual(["length"]);
    const usage = events.at(-1);
    expect(usage.choices).toEqual([]);
    expect(usage.usage.completion_tokens).toBe(10);
  });

  it("stops at a stop sequence without including it", async () => {
    const req = { model: MODEL, messages: user("Stop test"), max_tokens: 16, temperature: 0 };
    const full: string = (await t.post("/v1/chat/completions", req)).json.choices[0].message.content;
    const stop = full.slice(5, 7);
    const expected = full.slice(0, full.indexOf(stop));
    const { json } = await t.post("/v1/chat/completions", { ...req, stop: [stop] });
    expect(json.choices[0].message.content).toBe(expected);
    expect(json.choices[0].finish_reason).toBe("stop");
  });

  it("returns n choices", async () => {
    const { json } = await t.post("/v1/chat/completions", { model: MODEL, messages: user("Two"), max_tokens: 4, temperature: 0.8, seed: 7, n: 2 });
    expect(json.choices.map((c: any) => c.index)).toEqual([0, 1]);
    expect(json.usage.completion_tokens).toBe(8);
  });

  it("returns logprobs with top alternatives", async () => {
    const { json } = await t.post("/v1/chat/completions", { model: MODEL, messages: user("Two"), max_tokens: 4, temperature: 0, logprobs: true, top_logprobs: 2 });
    const lp = json.choices[0].logprobs.content;
    expect(lp).toHaveLength(4);
    for (const entry of lp) {
      expect(entry.logprob).toBeLessThanOrEqual(0);
      expect(entry.top_logprobs).toHaveLength(2);
      expect(entry.top_logprobs[0].logprob).toBeGreaterThanOrEqual(entry.top_logprobs[1].logprob);
      expect(entry.bytes).toEqual([...Buffer.from(entry.token)]);
    }
    expect(lp.map((e: any) => e.token).join("")).toBe(json.choices[0].message.content);
  });

  it("streams logprobs with the content chunks they belong to", async () => {
    const raw = await t.postRaw("/v1/chat/completions", { model: MODEL, messages: user("Two"), max_tokens: 5, temperature: 0, logprobs: true, top_logprobs: 1, stream: true });
    const choices = parseSse(raw.text).events.flatMap((e) => e.choices);
    const withText = choices.filter((c: any) => c.delta.content);
    expect(withText.length).toBeGreaterThan(0);
    for (const c of withText) expect(c.logprobs.content.map((l: any) => l.token).join("")).toBe(c.delta.content);
    expect(withText.flatMap((c: any) => c.logprobs.content)).toHaveLength(5);
  });

  it("keeps serving after a client disconnects mid-stream", async () => {
    const controller = new AbortController();
    const res = await fetch(`${t.server.url}/v1/chat/completions`, {
      method: "POST",
      signal: controller.signal,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, messages: user("Long"), max_tokens: 4000, stream: true }),
    });
    await res.body!.getReader().read();
    controller.abort();
    const { status, json } = await t.post("/v1/chat/completions", { model: MODEL, messages: user("After"), max_tokens: 3, temperature: 0 });
    expect(status).toBe(200);
    expect(json.usage.completion_tokens).toBe(3);
  });

  it("tool_choice required returns a call_ id and arguments matching the schema", async () => {
    const { json } = await t.post("/v1/chat/completions", {
      model: MODEL, messages: user("Weather in Paris?"), tools: [weatherTool], tool_choice: "required", temperature: 0,
    });
    const choice = json.choices[0];
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    const [call] = choice.message.tool_calls;
    expect(call.id).toMatch(/^call_/);
    expect(call.type).toBe("function");
    expect(call.function.name).toBe("get_weather");
    const args = JSON.parse(call.function.arguments);
    expect(typeof args.city).toBe("string");
    expect(Number.isInteger(args.days)).toBe(true);
    expect(typeof args.metric).toBe("boolean");
  });

  it("a named tool_choice picks that function; required with several tools picks one of them", async () => {
    const named = await t.post("/v1/chat/completions", {
      model: MODEL, messages: user("Time?"), tools: [weatherTool, timeTool], tool_choice: { type: "function", function: { name: "get_time" } }, temperature: 0,
    });
    const call = named.json.choices[0].message.tool_calls[0];
    expect(call.function.name).toBe("get_time");
    expect(["UTC", "CET"]).toContain(JSON.parse(call.function.arguments).tz);

    const anyTool = await t.post("/v1/chat/completions", {
      model: MODEL, messages: user("Anything"), tools: [weatherTool, timeTool], tool_choice: "required", temperature: 0.7, seed: 3,
    });
    const picked = anyTool.json.choices[0].message.tool_calls[0];
    expect(["get_weather", "get_time"]).toContain(picked.function.name);
    expect(typeof JSON.parse(picked.function.arguments)).toBe("object");
  });

  it("tool_choice auto and none answer with plain text", async () => {
    for (const tool_choice of ["auto", "none"]) {
      const { json } = await t.post("/v1/chat/completions", { model: MODEL, messages: user("Hi"), tools: [weatherTool], tool_choice, max_tokens: 6, temperature: 0 });
      expect(json.choices[0].message.tool_calls).toBeUndefined();
      expect(typeof json.choices[0].message.content).toBe("string");
    }
  });

  it("streams a forced tool call as a tool_calls delta", async () => {
    const raw = await t.postRaw("/v1/chat/completions", {
      model: MODEL, messages: user("Weather?"), tools: [weatherTool], tool_choice: "required", temperature: 0, stream: true,
    });
    const { events, done } = parseSse(raw.text);
    expect(done).toBe(true);
    const calls = events.flatMap((e) => e.choices).flatMap((c: any) => c.delta.tool_calls ?? []);
    expect(calls).toHaveLength(1);
    expect(calls[0].id).toMatch(/^call_/);
    expect(JSON.parse(calls[0].function.arguments)).toHaveProperty("city");
    expect(events.flatMap((e) => e.choices).at(-1).finish_reason).toBe("tool_calls");
  });

  it("enforces response_format json_schema and json_object", async () => {
    const schema = {
      type: "object",
      properties: { name: { type: "string" }, year: { type: "integer" }, tags: { type: "array", items: { type: "string" } } },
      required: ["name", "year", "tags"],
    };
    const { json } = await t.post("/v1/chat/completions", {
      model: MODEL, messages: user("JSON please"), temperature: 0, response_format: { type: "json_schema", json_schema: { name: "person", schema } },
    });
    const parsed = JSON.parse(json.choices[0].message.content);
    expect(typeof parsed.name).toBe("string");
    expect(Number.isInteger(parsed.year)).toBe(true);
    expect(Array.isArray(parsed.tags)).toBe(true);

    const obj = await t.post("/v1/chat/completions", { model: MODEL, messages: user("obj"), temperature: 0.9, seed: 11, response_format: { type: "json_object" } });
    const value = JSON.parse(obj.json.choices[0].message.content);
    expect(typeof value).toBe("object");
    expect(Array.isArray(value)).toBe(false);
  });

  it("accepts a multi-turn history with tool calls and tool results", async () => {
    const { status, json } = await t.post("/v1/chat/completions", {
      model: MODEL,
      max_tokens: 4,
      temperature: 0,
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: [{ type: "text", text: "Weather?" }] },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: "{\"city\":\"Paris\"}" } }] },
        { role: "tool", tool_call_id: "call_1", content: "sunny" },
      ],
      tools: [weatherTool],
    });
    expect(status).toBe(200);
    expect(json.choices[0].message.content).toMatch(PRINTABLE);
  });

  it("serializes concurrent requests and gives each the same answer as alone", async () => {
    const req = { model: MODEL, messages: user("Concurrent"), max_tokens: 8, temperature: 0 };
    const alone = (await t.post("/v1/chat/completions", req)).json.choices[0].message.content;
    const results = await Promise.all(Array.from({ length: 4 }, () => t.post("/v1/chat/completions", req)));
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.json.choices[0].message.content).toBe(alone);
    }
  });
});
