/**
 * Responses API over the real stack (HTTP, SQLite) with a scripted provider double: the chat
 * requests it sends, the events it streams, storage, follow-up turns, function tools and guardrails.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmbeddedStack, type EmbeddedStackHandle } from "../src/index.js";
import { startScriptedChatProvider, type ScriptedChatProvider } from "./responses-provider-double.js";
import { postJson, sseData } from "./server-harness.js";

const MODEL = "llama-cpp/tiny-random-llama";
const WEATHER_TOOL = {
  type: "function",
  name: "get_weather",
  description: "Get the weather in a given city",
  parameters: { type: "object", properties: { city: { type: "string" } } },
};

let provider: ScriptedChatProvider;
let stack: EmbeddedStackHandle;
let dataDir: string;

beforeAll(async () => {
  provider = await startScriptedChatProvider();
  dataDir = mkdtempSync(join(tmpdir(), "responses-test-"));
  stack = await startEmbeddedStack({ port: 0, dataDir, env: { LLAMA_CPP_URL: provider.baseUrl } });
});
afterAll(async () => {
  await stack?.close();
  await provider?.close();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  provider.chatRequests.length = 0;
  provider.turns.length = 0;
  provider.guardVerdict = () => "safe";
});

type Json = Record<string, any>;

async function create(body: Json): Promise<Json> {
  const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, ...body });
  const json = (await res.json()) as Json;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

async function createStreamed(body: Json): Promise<Json[]> {
  const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, ...body, stream: true });
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  return sseData(await res.text()).map((frame) => JSON.parse(frame) as Json);
}

/** Responses is a legacy API upstream: its errors are FastAPI's plain {"detail": ...}. */
async function errorDetail(res: Response): Promise<unknown> {
  return ((await res.json()) as Json).detail;
}

const streamedChats = () => provider.chatRequests.filter((r) => r.stream === true);

describe("POST /v1/responses", () => {
  it("sends upstream's chat request and answers with a completed response", async () => {
    provider.turns.push({ text: ["Paris", " it is"] });
    const response = await create({ input: "What is the capital of France?" });
    expect(streamedChats()).toEqual([
      {
        model: "tiny-random-llama",
        messages: [{ role: "user", content: "What is the capital of France?" }],
        stream: true,
        stream_options: { include_usage: true },
      },
    ]);
    expect(Object.keys(response)).toEqual([
      "created_at", "error", "id", "model", "object", "output", "parallel_tool_calls", "previous_response_id", "prompt",
      "status", "temperature", "text", "top_p", "tools", "tool_choice", "truncation", "usage", "instructions", "max_tool_calls",
    ]);
    expect(response).toMatchObject({
      object: "response",
      model: MODEL,
      status: "completed",
      parallel_tool_calls: true,
      text: { format: { type: "text" } },
      tools: [],
      usage: { input_tokens: 10, output_tokens: 3, total_tokens: 13, input_tokens_details: null, output_tokens_details: null },
    });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output).toEqual([
      { content: [{ text: "Paris it is", type: "output_text", annotations: [] }], role: "assistant", type: "message", id: expect.stringMatching(/^msg_/), status: "completed" },
    ]);
  });

  it("streams upstream's events in order with increasing sequence numbers", async () => {
    provider.turns.push({ text: ["Hel", "lo"] });
    const events = await createStreamed({ input: [{ role: "user", content: "hi" }] });
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const numbered = events.filter((e) => "sequence_number" in e).map((e) => e.sequence_number as number);
    expect(numbered).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events[6]?.part).toEqual({ type: "output_text", text: "Hello", annotations: [], logprobs: null });
    expect(events.at(-1)?.response.output[0].content[0].text).toBe("Hello");
  });

  it("maps temperature and a JSON schema text format onto the chat request", async () => {
    await create({
      input: "x",
      temperature: 0.5,
      text: { format: { type: "json_schema", name: "answer", schema: { type: "object" } } },
    });
    expect(streamedChats()[0]).toMatchObject({
      temperature: 0.5,
      response_format: { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" } } },
    });
  });

  it("rejects a conversation together with previous_response_id", async () => {
    const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, input: "x", conversation: "conv_1", previous_response_id: "resp_1" });
    expect(res.status).toBe(400);
    expect(await errorDetail(res)).toContain("Mutually exclusive parameters");
  });
});

describe("stored responses", () => {
  it("retrieves, lists, pages input items and deletes", async () => {
    const messages = [
      { role: "user", content: "Message A" },
      { role: "assistant", content: "Answer A" },
      { role: "user", content: "Message C" },
    ];
    const response = await create({ input: messages });
    const retrieved = (await (await fetch(`${stack.url}/v1/responses/${response.id}`)).json()) as Json;
    expect(retrieved).toEqual(response);

    const list = (await (await fetch(`${stack.url}/v1/responses?limit=1`)).json()) as Json;
    expect(list).toMatchObject({ object: "list", has_more: true, first_id: response.id, last_id: response.id });
    expect(list.data[0].input).toHaveLength(3);

    const items = async (query: string) => ((await (await fetch(`${stack.url}/v1/responses/${response.id}/input_items${query}`)).json()) as Json).data as Json[];
    expect((await items("")).map((i) => i.content)).toEqual(["Message C", "Answer A", "Message A"]);
    expect((await items("?order=asc&limit=2")).map((i) => i.content)).toEqual(["Message A", "Answer A"]);
    expect((await items(""))[0]).toEqual({ content: "Message C", role: "user", type: "message", id: null, status: null });

    const deleted = await fetch(`${stack.url}/v1/responses/${response.id}`, { method: "DELETE" });
    expect(await deleted.json()).toEqual({ id: response.id, object: "response", deleted: true });
    const gone = await fetch(`${stack.url}/v1/responses/${response.id}`);
    expect(gone.status).toBe(400);
    expect(await errorDetail(gone)).toBe(`Invalid value: Response with id ${response.id} not found`);
  });

  it("stores a string input as one user message with an id", async () => {
    const response = await create({ input: "just text" });
    const items = (await (await fetch(`${stack.url}/v1/responses/${response.id}/input_items`)).json()) as Json;
    expect(items.data).toEqual([
      { content: [{ text: "just text", type: "input_text" }], role: "user", type: "message", id: expect.stringMatching(/^msg_/), status: null },
    ]);
  });

  it("continues from a previous response: its history, new instructions, no repeated question", async () => {
    provider.turns.push({ text: ["The capital of France is Paris."] });
    const question = [{ role: "user", content: "What is the capital of France?" }];
    const first = await create({ input: question, instructions: "Be helpful." });
    expect(first.instructions).toBe("Be helpful.");
    const second = await create({ input: question, instructions: "Speak like a pirate.", previous_response_id: first.id });
    expect(second.instructions).toBe("Speak like a pirate.");
    expect(streamedChats()[1]?.messages).toEqual([
      { role: "system", content: "Speak like a pirate." },
      { role: "user", content: "What is the capital of France?" },
      { role: "assistant", content: "The capital of France is Paris." },
    ]);
  });
});

describe("function tools", () => {
  it("passes function tools to the model and returns its call as a function_call item", async () => {
    provider.turns.push({ toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Tokyo"}' }] });
    const response = await create({ input: "Weather in Tokyo?", tools: [WEATHER_TOOL] });
    expect(streamedChats()[0]?.tools).toEqual([
      { type: "function", function: { ...WEATHER_TOOL, strict: null } },
    ]);
    expect(response.output).toEqual([
      { call_id: "call_1", name: "get_weather", arguments: '{"city":"Tokyo"}', type: "function_call", id: expect.stringMatching(/^fc_/), status: "completed" },
    ]);
    expect(response.tools).toEqual([{ ...WEATHER_TOOL, strict: null }]);

    provider.turns.push({ text: ["Sunny."] });
    const next = await create({
      input: [{ type: "function_call_output", call_id: "call_1", output: "sunny" }],
      previous_response_id: response.id,
      tools: [WEATHER_TOOL],
    });
    expect(streamedChats()[1]?.messages).toEqual([
      { role: "user", content: "Weather in Tokyo?" },
      { role: "assistant", content: "", tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Tokyo"}' } }] },
      { role: "tool", content: "sunny", tool_call_id: "call_1" },
    ]);
    expect(next.output[0].content[0].text).toBe("Sunny.");
  });

  it("streams function call arguments and reports '{}' for a call without arguments", async () => {
    provider.turns.push({ toolCalls: [{ id: "call_2", name: "get_time", arguments: "" }] });
    const events = await createStreamed({ input: "time?", tools: [{ type: "function", name: "get_time", description: "now", parameters: {} }] });
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[3]?.arguments).toBe("{}");
    expect(events.at(-1)?.response.output[0].arguments).toBe("{}");
  });

  it("rejects a function_call_output without a matching call", async () => {
    const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, input: [{ type: "function_call_output", call_id: "nope", output: "x" }] });
    expect(res.status).toBe(400);
    expect(await errorDetail(res)).toBe(
      "Invalid value: Received function_call_output(s) with call_id(s) dict_keys(['nope']), but no corresponding function_call",
    );
  });
});

describe("guardrails", () => {
  const guardCalls = () => provider.chatRequests.filter((r) => r.stream !== true);

  it("refuses unsafe input before calling the model", async () => {
    provider.guardVerdict = (prompt) => (prompt.includes("hurt") ? "unsafe\nS1" : "safe");
    const response = await create({ input: "How can I hurt someone?", guardrails: ["llama-guard"] });
    expect(streamedChats()).toEqual([]);
    expect(guardCalls()[0]).toMatchObject({ model: "tiny-random-llama-guard", stream: false, temperature: 0.0 });
    expect(response.output).toEqual([
      {
        content: [{ type: "refusal", refusal: "I can't answer that. Can I help with something else? (flagged for: Violent Crimes) (violation type: S1)" }],
        role: "assistant",
        type: "message",
        id: null,
        status: null,
      },
    ]);
  });

  it("checks the accumulated output after every chunk and replaces it with a refusal once flagged", async () => {
    provider.turns.push({ text: ["Violence ", "is ", "bad"] });
    provider.guardVerdict = (prompt) => (prompt.includes("User: Violence is") ? "unsafe\nS1" : "safe");
    const events = await createStreamed({ input: "Describe violent content", guardrails: [{ type: "llama-guard" }] });
    const guarded = guardCalls().map((r) => /User: (.*)\n\n<END CONVERSATION>/.exec((r.messages as Json[])[0]?.content)?.[1]);
    expect(guarded).toEqual(["Describe violent content", "Violence ", "Violence is "]);
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.completed",
    ]);
    expect(events.at(-1)?.response.output[0].content[0].type).toBe("refusal");
  });

  it("lets safe output through and names unknown shields", async () => {
    provider.turns.push({ text: ["I am", " a model"] });
    const response = await create({ input: "What's your name?", guardrails: ["llama-guard"] });
    expect(response.output[0].content[0]).toEqual({ text: "I am a model", type: "output_text", annotations: [] });
    const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, input: "x", guardrails: ["nope"] });
    expect(res.status).toBe(400);
    expect(await errorDetail(res)).toBe("Invalid value: No shield found with identifier 'nope'");
  });
});
