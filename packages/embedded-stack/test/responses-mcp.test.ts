/**
 * MCP tools in the Responses API against the real MCP test server (loopback, bearer auth): the
 * listing, the call the model asks for, the tool message fed back, the loop until the answer, the
 * reuse of a listing by a follow-up response, and the turn written to a conversation.
 */
import { MCP_TOOLGROUP_ID, type RunningMcpServer } from "@llama-stack-tests/mcp-test-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EmbeddedStackHandle } from "../src/index.js";
import type { ScriptedChatProvider } from "./responses-provider-double.js";
import { startScriptedMcpStack, type ScriptedMcpStack } from "./scripted-mcp-stack.js";
import { postJson, sseData } from "./server-harness.js";

const MODEL = "llama-cpp/tiny-random-llama";
const TOKEN = "test-token";

type Json = Record<string, any>;

let fixture: ScriptedMcpStack;
let provider: ScriptedChatProvider;
let stack: EmbeddedStackHandle;
let mcp: RunningMcpServer;

beforeAll(async () => {
  fixture = await startScriptedMcpStack({ mcp: { authToken: TOKEN }, tmpPrefix: "responses-mcp-test-" });
  ({ provider, stack, mcp } = fixture);
});
afterAll(() => fixture?.close());
beforeEach(() => fixture.reset());

const mcpTool = (extra: Json = {}) => ({
  type: "mcp",
  server_label: MCP_TOOLGROUP_ID,
  server_url: mcp.url,
  require_approval: "never",
  authorization: TOKEN,
  ...extra,
});

async function streamed(body: Json): Promise<Json[]> {
  const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, stream: true, ...body });
  return sseData(await res.text()).map((f) => JSON.parse(f) as Json);
}

describe("MCP tools", () => {
  it("lists the server's tools, runs the call the model makes and loops until it answers", async () => {
    provider.turns.push({ toolCalls: [{ id: "call_1", name: "greet_everyone", arguments: '{"url":"world"}' }] }, { text: ["Hello, world!"] });
    const events = await streamed({ input: "Say hi", tools: [mcpTool({ allowed_tools: ["greet_everyone", "get_boiling_point"] })] });

    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.mcp_list_tools.in_progress",
      "response.output_item.added",
      "response.mcp_list_tools.completed",
      "response.output_item.done",
      "response.mcp_call.arguments.delta",
      "response.mcp_call.arguments.done",
      "response.output_item.added",
      "response.mcp_call.in_progress",
      "response.mcp_call.completed",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const numbers = events.filter((e) => "sequence_number" in e).map((e) => e.sequence_number as number);
    // The new MCP call takes a number without an event, as upstream counts it.
    expect(numbers).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);

    const [first, second] = provider.chatRequests;
    expect(first?.tools).toEqual([
      { type: "function", function: { name: "greet_everyone", parameters: expect.objectContaining({ required: ["url"] }) } },
      { type: "function", function: { name: "get_boiling_point", description: expect.any(String), parameters: expect.any(Object) } },
    ]);
    expect(second?.messages).toEqual([
      { role: "user", content: "Say hi" },
      { role: "assistant", content: "", tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "greet_everyone", arguments: '{"url":"world"}' } }] },
      { role: "tool", content: [{ type: "text", text: "Hello, world!" }], tool_call_id: "call_1" },
    ]);
    expect(mcp.toolCalls.map((c) => c.tool)).toContain("greet_everyone");

    const response = events.at(-1)?.response as Json;
    expect(response.tools).toEqual([{ type: "mcp", server_label: MCP_TOOLGROUP_ID, allowed_tools: ["greet_everyone", "get_boiling_point"] }]);
    expect(response.output.map((o: Json) => o.type)).toEqual(["mcp_list_tools", "mcp_call", "message"]);
    expect(response.output[1]).toEqual({
      id: expect.stringMatching(/^fc_/),
      type: "mcp_call",
      arguments: '{"url":"world"}',
      name: "greet_everyone",
      server_label: MCP_TOOLGROUP_ID,
      error: null,
      output: "Hello, world!",
    });
  });

  it("keeps only allowed tools and reuses the previous listing for the same server", async () => {
    provider.turns.push({ text: ["ok"] }, { text: ["again"] });
    const tool = mcpTool({ allowed_tools: ["get_boiling_point"] });
    const first = (await streamed({ input: "x", tools: [tool] })).at(-1)?.response as Json;
    expect(first.output[0].tools.map((t: Json) => t.name)).toEqual(["get_boiling_point"]);
    const callsBefore = mcp.toolCalls.length;
    const second = (await streamed({ input: "y", tools: [tool], previous_response_id: first.id })).at(-1)?.response as Json;
    expect(second.output[0]).toMatchObject({ type: "mcp_list_tools", tools: first.output[0].tools });
    expect(second.output[0].id).not.toBe(first.output[0].id);
    expect(provider.chatRequests[1]?.tools).toEqual(provider.chatRequests[0]?.tools);
    expect(mcp.toolCalls.length).toBe(callsBefore);
  });

  it("fails the response when the server rejects the token", async () => {
    const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, input: "x", tools: [mcpTool({ authorization: "wrong" })] });
    expect(res.status).toBe(401);
  });
});

describe("conversations", () => {
  it("appends each turn's input and output items and continues from the stored history", async () => {
    const conversation = (await (await postJson(`${stack.url}/v1/conversations`, {})).json()) as Json;
    provider.turns.push({ text: ["First answer"] }, { text: ["Second answer"] });
    await streamed({ input: "First question", conversation: conversation.id, instructions: "Be brief." });
    await streamed({ input: "Second question", conversation: conversation.id, instructions: "Be brief." });
    expect(provider.chatRequests[1]?.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "First question" },
      { role: "assistant", content: "First answer" },
      { role: "user", content: "Second question" },
    ]);
    const items = (await (await fetch(`${stack.url}/v1/conversations/${conversation.id}/items?order=asc`)).json()) as Json;
    // Compared as a set: the conversations store spaces a batch's items a second apart, so two turns
    // within a second interleave when listed by creation time.
    const texts = items.data.map((i: Json) => [i.role, i.content[0].text]);
    expect(texts).toHaveLength(4);
    expect(texts).toEqual(
      expect.arrayContaining([
        ["user", "First question"],
        ["assistant", "First answer"],
        ["user", "Second question"],
        ["assistant", "Second answer"],
      ]),
    );
  });
});
