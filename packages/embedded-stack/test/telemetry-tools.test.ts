/**
 * Llama Stack's manual spans on the embedded stack: `run_shield <shield_id>` around a shield call, and
 * the Responses API's tool spans (list_mcp_tools, invoke_mcp_tool, knowledge_search, invoke_tool) next
 * to the chat spans of each turn, all under the request's server span, against the real MCP test server.
 */
import { MCP_TOOLGROUP_ID, type RunningMcpServer } from "@llama-stack-tests/mcp-test-server";
import { startOtlpReceiver, type OtlpReceiver, type Span } from "@llama-stack-tests/otlp-receiver";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EmbeddedStackHandle } from "../src/index.js";
import type { ScriptedChatProvider } from "./responses-provider-double.js";
import { startScriptedMcpStack, type ScriptedMcpStack } from "./scripted-mcp-stack.js";
import { postJson, sseData } from "./server-harness.js";
import { attributes, newTraceParent, only, telemetryEnv, traceOf } from "./telemetry-harness.js";

const MODEL = "llama-cpp/tiny-random-llama";
const TOKEN = "test-token";

type Json = Record<string, any>;

let fixture: ScriptedMcpStack;
let provider: ScriptedChatProvider;
let mcp: RunningMcpServer;
let receiver: OtlpReceiver;
let stack: EmbeddedStackHandle;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  fixture = await startScriptedMcpStack({ mcp: { authToken: TOKEN }, env: telemetryEnv(receiver.url), tmpPrefix: "telemetry-tools-" });
  ({ provider, stack, mcp } = fixture);
});
afterAll(async () => {
  await fixture?.close();
  await receiver?.close();
});
beforeEach(() => fixture.reset());

function startOrder(spans: Span[]): Span[] {
  return [...spans].sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
}

describe("run_shield", () => {
  const messages = [
    { role: "system", content: "Be nice." },
    { role: "user", content: [{ type: "text", text: "How do I kill a process? ünïcode" }], extra_key: "dropped" },
  ];

  it("a safe verdict: shield id and the messages as upstream's json.dumps of their model_dump, no violation attributes", async () => {
    provider.guardVerdict = () => "safe";
    const tp = newTraceParent();
    const res = await postJson(`${stack.url}/v1/safety/run-shield`, { shield_id: "llama-guard", messages, params: {} }, { traceparent: tp.header });
    expect(await res.json()).toEqual({ violation: null });
    const spans = await traceOf(receiver, tp.traceId, ["POST /v1/safety/run-shield", "run_shield llama-guard", "chat tiny-random-llama-guard"]);
    const server = only(spans, "POST /v1/safety/run-shield");
    const shield = only(spans, "run_shield llama-guard");
    expect(shield.kind).toBe("internal");
    expect(shield.parentSpanId).toBe(server.spanId);
    expect(only(spans, "chat tiny-random-llama-guard").parentSpanId).toBe(shield.spanId);
    expect(shield.scope.name).toBe("llama_stack.core.routers.safety");
    expect(attributes(shield)).toEqual({
      "llama_stack.safety.request.shield_id": "llama-guard",
      "llama_stack.safety.request.messages":
        '[{"role": "system", "content": "Be nice.", "name": null}, ' +
        '{"role": "user", "content": [{"type": "text", "text": "How do I kill a process? \\u00fcn\\u00efcode"}], "name": null}]',
    });
    // The attribute parses back to what was sent (extra keys aside, which upstream's models drop).
    expect(JSON.parse(attributes(shield)["llama_stack.safety.request.messages"] as string)).toEqual([
      { role: "system", content: "Be nice.", name: null },
      { role: "user", content: messages[1]!.content, name: null },
    ]);
  });

  it("a violation: metadata, level and user message too", async () => {
    provider.guardVerdict = () => "unsafe\nS1";
    const tp = newTraceParent();
    const res = await postJson(
      `${stack.url}/v1/safety/run-shield`,
      { shield_id: "llama-guard", messages: [{ role: "user", content: "hello" }], params: {} },
      { traceparent: tp.header },
    );
    const body = (await res.json()) as Json;
    expect(body.violation.violation_level).toBe("error");
    const spans = await traceOf(receiver, tp.traceId, ["POST /v1/safety/run-shield", "run_shield llama-guard"]);
    expect(attributes(only(spans, "run_shield llama-guard"))).toEqual({
      "llama_stack.safety.request.shield_id": "llama-guard",
      "llama_stack.safety.request.messages": '[{"role": "user", "content": "hello", "name": null}]',
      "llama_stack.safety.response.metadata": '{"violation_type": "S1"}',
      "llama_stack.safety.response.violation.level": "error",
      "llama_stack.safety.response.violation.user_message": body.violation.user_message,
    });
  });

  it("an unknown shield: the span records the error", async () => {
    const tp = newTraceParent();
    const res = await postJson(`${stack.url}/v1/safety/run-shield`, { shield_id: "nope", messages: [{ role: "user", content: "hi" }], params: {} }, { traceparent: tp.header });
    expect(res.status).toBe(400);
    const spans = await traceOf(receiver, tp.traceId, ["POST /v1/safety/run-shield", "run_shield nope"]);
    const shield = only(spans, "run_shield nope");
    expect(shield.status.code).toBe("error");
    expect(shield.events.map((e) => e.name)).toEqual(["exception"]);
    expect(attributes(shield)["llama_stack.safety.request.shield_id"]).toBeUndefined();
  });
});

describe("Responses API tool spans", () => {
  it("MCP: list_mcp_tools, then per turn a chat span, invoke_mcp_tool between them, all children of the server span in call order", async () => {
    provider.turns.push({ toolCalls: [{ id: "call_1", name: "greet_everyone", arguments: '{"url":"world"}' }] }, { text: ["Hello, world!"] });
    const tp = newTraceParent();
    const res = await postJson(
      `${stack.url}/v1/responses`,
      {
        model: MODEL,
        stream: true,
        input: "Say hi",
        tools: [{ type: "mcp", server_label: MCP_TOOLGROUP_ID, server_url: mcp.url, require_approval: "never", authorization: TOKEN }],
      },
      { traceparent: tp.header },
    );
    const events = sseData(await res.text()).map((f) => JSON.parse(f) as Json);
    const output = (events.at(-1) as Json).response.output as Json[];
    const listing = output.find((item) => item.type === "mcp_list_tools");

    const spans = await traceOf(receiver, tp.traceId, ["POST /v1/responses", "list_mcp_tools", "invoke_mcp_tool", "chat tiny-random-llama"]);
    const server = only(spans, "POST /v1/responses");
    const children = startOrder(spans.filter((s) => s.parentSpanId === server.spanId));
    expect(children.map((s) => s.name)).toEqual(["list_mcp_tools", "chat tiny-random-llama", "invoke_mcp_tool", "chat tiny-random-llama"]);
    const [list, , invoke] = children as [Span, Span, Span, Span];
    expect(list.kind).toBe("internal");
    expect(attributes(list)).toEqual({ server_label: MCP_TOOLGROUP_ID, server_url: mcp.url, mcp_list_tools_id: listing?.id });
    expect(attributes(invoke)).toEqual({ server_label: MCP_TOOLGROUP_ID, server_url: mcp.url, tool_name: "greet_everyone" });
    expect(invoke.scope.name).toBe("llama_stack.providers.inline.agents.meta_reference.responses.tool_executor");
    // The MCP client's HTTP requests are client spans under each tool span, as httpx's are upstream.
    const origin = new URL(mcp.url).origin;
    // Exports of one trace may arrive in any order: wait for the request spans themselves.
    await receiver.waitFor((r) => [list, invoke].every((p) => r.spans.some((s) => s.parentSpanId === p.spanId)), { description: "the MCP request spans" });
    const all = receiver.spansOfTrace(tp.traceId);
    for (const parent of [list, invoke]) {
      const requests = all.filter((s) => s.parentSpanId === parent.spanId);
      expect(requests.length).toBeGreaterThan(0);
      for (const request of requests) {
        expect(request.kind).toBe("client");
        expect(["GET", "POST", "DELETE"]).toContain(request.name);
        expect(attributes(request)).toMatchObject({ "http.method": request.name, "http.url": expect.stringMatching(new RegExp(`^${origin}/`)) });
        expect(typeof attributes(request)["http.status_code"]).toBe("number");
      }
    }
    // The Responses API streams with include_usage: each turn's chat span has the usage of its final chunk.
    const chats = children.filter((s) => s.name === "chat tiny-random-llama");
    for (const chat of chats) expect(attributes(chat)).toMatchObject({ "gen_ai.usage.input_tokens": 10, "gen_ai.usage.output_tokens": 3 });
  });

  it("file_search: a knowledge_search span around the search, the query's embeddings span inside it", async () => {
    const form = new FormData();
    form.append("purpose", "assistants");
    form.append("file", new Blob(["The capital of France is Paris."]), "paris.txt");
    const file = (await (await fetch(`${stack.url}/v1/files`, { method: "POST", body: form })).json()) as Json;
    const store = (await (await postJson(`${stack.url}/v1/vector_stores`, { name: "kb", embedding_model: "llama-cpp/tiny-random-llama-embed" })).json()) as Json;
    expect((await postJson(`${stack.url}/v1/vector_stores/${store.id}/files`, { file_id: file.id })).status).toBe(200);

    provider.turns.push({ toolCalls: [{ id: "call_fs", name: "knowledge_search", arguments: '{"query":"capital of France"}' }] }, { text: ["Paris."] });
    const tp = newTraceParent();
    const res = await postJson(
      `${stack.url}/v1/responses`,
      { model: MODEL, input: "Capital of France?", tools: [{ type: "file_search", vector_store_ids: [store.id] }] },
      { traceparent: tp.header },
    );
    expect(res.status).toBe(200);
    const spans = await traceOf(receiver, tp.traceId, ["POST /v1/responses", "knowledge_search", "embeddings tiny-random-llama-embed"]);
    const server = only(spans, "POST /v1/responses");
    const search = only(spans, "knowledge_search");
    expect(search.parentSpanId).toBe(server.spanId);
    expect(attributes(search)).toEqual({});
    expect(only(spans, "embeddings tiny-random-llama-embed").parentSpanId).toBe(search.spanId);
    expect(startOrder(spans.filter((s) => s.parentSpanId === server.spanId)).map((s) => s.name)).toEqual([
      "chat tiny-random-llama",
      "knowledge_search",
      "chat tiny-random-llama",
    ]);
  });

  it("web_search: an invoke_tool span naming the tool, an error when the search fails", async () => {
    provider.turns.push({ toolCalls: [{ id: "call_ws", name: "web_search", arguments: '{"query":"python"}' }] }, { text: ["Sorry."] });
    const tp = newTraceParent();
    const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, input: "Latest Python?", tools: [{ type: "web_search" }] }, { traceparent: tp.header });
    expect(res.status).toBe(200);
    const spans = await traceOf(receiver, tp.traceId, ["POST /v1/responses", "invoke_tool"]);
    const invoke = only(spans, "invoke_tool");
    expect(invoke.parentSpanId).toBe(only(spans, "POST /v1/responses").spanId);
    expect(attributes(invoke)).toEqual({ tool_name: "web_search" });
    // No Tavily key and no tool replay here: the search fails, and the span says so.
    expect(invoke.status.code).toBe("error");
  });
});
