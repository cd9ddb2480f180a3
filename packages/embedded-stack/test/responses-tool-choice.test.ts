/**
 * `tool_choice` in the Responses API as llama-stack 0.4.0 honours it, over the real stack, the real MCP
 * test server and a scripted provider double: the tool_choice and tools each chat request carries
 * (a forced choice on the first turn only, allowed tools filtering every turn, choices naming a tool
 * the model is not offered forcing nothing), the choice echoed on the response, and the answers to
 * bad values (pydantic's union errors; 0.4.0's 500 for a choice without tools).
 */
import type { RunningMcpServer } from "@llama-stack-tests/mcp-test-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EmbeddedStackHandle } from "../src/index.js";
import type { ScriptedChatProvider } from "./responses-provider-double.js";
import { startScriptedMcpStack, type ScriptedMcpStack } from "./scripted-mcp-stack.js";
import { postJson, sseData } from "./server-harness.js";

const MODEL = "llama-cpp/tiny-random-llama";
const LABEL = "localmcp";
const WEATHER_TOOL = {
  type: "function",
  name: "get_weather",
  description: "Get the weather in a given city",
  parameters: { type: "object", properties: { city: { type: "string" } } },
};
const FILE_SEARCH_TOOL = { type: "file_search", vector_store_ids: ["vs_unused"] };
const TOOL_CHOICE_UNION =
  "tagged-union[OpenAIResponseInputToolChoiceAllowedTools,OpenAIResponseInputToolChoiceFileSearch," +
  "OpenAIResponseInputToolChoiceWebSearch,OpenAIResponseInputToolChoiceWebSearch,OpenAIResponseInputToolChoiceWebSearch," +
  "OpenAIResponseInputToolChoiceWebSearch,OpenAIResponseInputToolChoiceFunctionTool,OpenAIResponseInputToolChoiceMCPTool," +
  "OpenAIResponseInputToolChoiceCustomTool]";
const MODE_ERROR = {
  loc: ["body", "tool_choice", "str-enum[OpenAIResponseInputToolChoiceMode]"],
  msg: "Input should be 'auto', 'required' or 'none'",
  type: "enum",
};

type Json = Record<string, any>;

let fixture: ScriptedMcpStack;
let provider: ScriptedChatProvider;
let stack: EmbeddedStackHandle;
let mcp: RunningMcpServer;

beforeAll(async () => {
  fixture = await startScriptedMcpStack({ tmpPrefix: "responses-tool-choice-" });
  ({ provider, stack, mcp } = fixture);
});
afterAll(() => fixture?.close());
beforeEach(() => fixture.reset());

const mcpTool = (extra: Json = {}) => ({ type: "mcp", server_label: LABEL, server_url: mcp.url, require_approval: "never", ...extra });

async function create(body: Json): Promise<Json> {
  const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, input: "hi", ...body });
  const json = (await res.json()) as Json;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

/** What each streamed chat request offered and forced. */
const turns = () =>
  provider.chatRequests
    .filter((r) => r.stream === true)
    .map((r) => ({ tools: (r.tools as Json[] | undefined)?.map((t) => t.function.name), tool_choice: r.tool_choice }));

describe("tool_choice on the chat requests", () => {
  it('"required" forces a call of any offered tool on the first turn, then lets the model answer ("auto")', async () => {
    provider.turns.push({ toolCalls: [{ id: "call_1", name: "get_boiling_point", arguments: '{"liquid_name":"water"}' }] }, { text: ["done"] });
    const response = await create({ tools: [mcpTool()], tool_choice: "required", max_tool_calls: 1 });
    expect(turns()).toEqual([
      { tools: ["greet_everyone", "get_boiling_point"], tool_choice: "required" },
      { tools: ["greet_everyone", "get_boiling_point"], tool_choice: "auto" },
    ]);
    expect(response.output.map((o: Json) => o.type)).toEqual(["mcp_list_tools", "mcp_call", "message"]);
    expect(response.tool_choice).toBe("required");
  });

  it('"required" forces nothing when no tool is offered (an MCP server whose tools are all filtered out)', async () => {
    await create({ tools: [mcpTool({ allowed_tools: ["not_served"] })], tool_choice: "required" });
    expect(turns()).toEqual([{ tools: [], tool_choice: undefined }]);
  });

  it('"auto" is sent as is; "none" drops the tools and the choice', async () => {
    await create({ tools: [WEATHER_TOOL], tool_choice: "auto" });
    await create({ tools: [WEATHER_TOOL], tool_choice: "none" });
    expect(turns()).toEqual([
      { tools: ["get_weather"], tool_choice: "auto" },
      { tools: undefined, tool_choice: undefined },
    ]);
  });

  it("allowed_tools keeps only the listed tools on every turn, its mode on the first", async () => {
    provider.turns.push({ toolCalls: [{ id: "call_1", name: "greet_everyone", arguments: '{"url":"x"}' }] }, { text: ["done"] });
    const response = await create({
      tools: [WEATHER_TOOL, mcpTool()],
      tool_choice: { type: "allowed_tools", mode: "required", tools: [{ type: "mcp", server_label: LABEL }, { type: "unknown" }] },
    });
    expect(turns()).toEqual([
      { tools: ["greet_everyone", "get_boiling_point"], tool_choice: "required" },
      { tools: ["greet_everyone", "get_boiling_point"], tool_choice: "auto" },
    ]);
    // Echoed as 0.4.0 dumps it: every field, in its order.
    expect(response.tool_choice).toEqual({ mode: "required", tools: [{ type: "mcp", server_label: LABEL }, { type: "unknown" }], type: "allowed_tools" });
  });

  it("allowed_tools defaults to mode auto and names functions; custom and nameless entries allow nothing", async () => {
    const response = await create({
      tools: [WEATHER_TOOL, mcpTool()],
      tool_choice: { type: "allowed_tools", tools: [{ type: "function", name: "get_weather" }, { type: "custom", name: "greet_everyone" }, { type: "function" }] },
    });
    expect(turns()).toEqual([{ tools: ["get_weather"], tool_choice: "auto" }]);
    expect(response.tool_choice.mode).toBe("auto");
  });

  it("a function choice forces that function; one naming an absent tool forces nothing", async () => {
    await create({ tools: [WEATHER_TOOL], tool_choice: { type: "function", name: "get_weather" } });
    await create({ tools: [WEATHER_TOOL], tool_choice: { type: "function", name: "get_time" } });
    expect(turns()).toEqual([
      { tools: ["get_weather"], tool_choice: { type: "function", function: { name: "get_weather" } } },
      { tools: ["get_weather"], tool_choice: undefined },
    ]);
  });

  it("a custom choice is sent as a custom tool choice when the name is offered", async () => {
    await create({ tools: [WEATHER_TOOL], tool_choice: { type: "custom", name: "get_weather" } });
    await create({ tools: [WEATHER_TOOL], tool_choice: { type: "custom", name: "nope" } });
    expect(turns()).toEqual([
      { tools: ["get_weather"], tool_choice: { type: "custom", custom: { name: "get_weather" } } },
      { tools: ["get_weather"], tool_choice: undefined },
    ]);
  });

  it("an MCP choice forces the named tool, or requires any tool of the server", async () => {
    await create({ tools: [WEATHER_TOOL, mcpTool()], tool_choice: { type: "mcp", server_label: LABEL, name: "greet_everyone" } });
    const byServer = await create({ tools: [WEATHER_TOOL, mcpTool()], tool_choice: { type: "mcp", server_label: LABEL } });
    await create({ tools: [WEATHER_TOOL, mcpTool()], tool_choice: { type: "mcp", server_label: "other" } });
    // With no MCP server at all, 0.4.0 requires a call among no tools.
    await create({ tools: [WEATHER_TOOL], tool_choice: { type: "mcp", server_label: "other" } });
    expect(turns()).toEqual([
      { tools: ["get_weather", "greet_everyone", "get_boiling_point"], tool_choice: { type: "function", function: { name: "greet_everyone" } } },
      { tools: ["greet_everyone", "get_boiling_point"], tool_choice: "required" },
      { tools: ["get_weather", "greet_everyone", "get_boiling_point"], tool_choice: undefined },
      { tools: [], tool_choice: "required" },
    ]);
    expect(byServer.tool_choice).toEqual({ server_label: LABEL, type: "mcp", name: null });
  });

  it("a file_search choice forces nothing: the model is offered the tool as knowledge_search", async () => {
    const response = await create({ tools: [FILE_SEARCH_TOOL], tool_choice: { type: "file_search" } });
    await create({ tools: [FILE_SEARCH_TOOL], tool_choice: { type: "allowed_tools", tools: [{ type: "file_search" }] } });
    expect(turns()).toEqual([
      { tools: ["knowledge_search"], tool_choice: undefined },
      { tools: [], tool_choice: "auto" },
    ]);
    expect(response.tool_choice).toEqual({ type: "file_search" });
  });

  it("a web search choice forces web_search when that tool is offered", async () => {
    const response = await create({ tools: [{ type: "web_search" }], tool_choice: { type: "web_search_preview", extra: 1 } });
    await create({ tools: [WEATHER_TOOL], tool_choice: { type: "web_search" } });
    expect(turns()).toEqual([
      { tools: ["web_search"], tool_choice: { type: "function", function: { name: "web_search" } } },
      { tools: ["get_weather"], tool_choice: undefined },
    ]);
    expect(response.tool_choice).toEqual({ type: "web_search_preview" });
  });

  it("no tool_choice sends none and echoes null, stored and streamed alike", async () => {
    const response = await create({ tools: [WEATHER_TOOL] });
    expect(turns()).toEqual([{ tools: ["get_weather"], tool_choice: undefined }]);
    expect(response.tool_choice).toBeNull();
    const forced = await create({ tools: [WEATHER_TOOL], tool_choice: { type: "function", name: "get_weather" } });
    const stored = (await (await fetch(`${stack.url}/v1/responses/${forced.id}`)).json()) as Json;
    expect(stored.tool_choice).toEqual({ name: "get_weather", type: "function" });
    const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, input: "hi", tools: [WEATHER_TOOL], tool_choice: "auto", stream: true });
    const events = sseData(await res.text()).map((f) => JSON.parse(f) as Json);
    expect(events.filter((e) => e.response).map((e) => e.response.tool_choice)).toEqual(["auto", "auto", "auto"]);
  });
});

describe("bad tool_choice values", () => {
  async function rejected(toolChoice: unknown): Promise<Json[]> {
    const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, input: "hi", tools: [WEATHER_TOOL], tool_choice: toolChoice });
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(provider.chatRequests).toEqual([]);
    return body.error.detail.errors as Json[];
  }
  const unionError = (path: (string | number)[], msg: string, type: string) => [MODE_ERROR, { loc: ["body", "tool_choice", TOOL_CHOICE_UNION, ...path], msg, type }];
  const TAGS = "'allowed_tools', 'file_search', 'web_search', 'web_search_preview', 'web_search_preview_2025_03_11', 'web_search_2025_08_26', 'function', 'mcp', 'custom'";

  it("answers 400 with pydantic's errors for the mode enum and the tagged union", async () => {
    const cases: [unknown, Json[]][] = [
      ["bogus", unionError([], "Input should be a valid dictionary or object to extract fields from", "model_attributes_type")],
      [5, unionError([], "Input should be a valid dictionary or object to extract fields from", "model_attributes_type")],
      [{ name: "x" }, unionError([], "Unable to extract tag using discriminator 'type'", "union_tag_not_found")],
      [{ type: "nope" }, unionError([], `Input tag 'nope' found using 'type' does not match any of the expected tags: ${TAGS}`, "union_tag_invalid")],
      [{ type: null }, unionError([], `Input tag 'None' found using 'type' does not match any of the expected tags: ${TAGS}`, "union_tag_invalid")],
      [{ type: "function" }, unionError(["function", "name"], "Field required", "missing")],
      [{ type: "function", name: 1 }, unionError(["function", "name"], "Input should be a valid string", "string_type")],
      [{ type: "mcp" }, unionError(["mcp", "server_label"], "Field required", "missing")],
      [{ type: "custom" }, unionError(["custom", "name"], "Field required", "missing")],
      [{ type: "allowed_tools" }, unionError(["allowed_tools", "tools"], "Field required", "missing")],
      [{ type: "allowed_tools", tools: "x" }, unionError(["allowed_tools", "tools"], "Input should be a valid list", "list_type")],
      [{ type: "allowed_tools", tools: ["x"] }, unionError(["allowed_tools", "tools", 0], "Input should be a valid dictionary", "dict_type")],
      [{ type: "allowed_tools", tools: [{ type: "function", name: 1 }] }, unionError(["allowed_tools", "tools", 0, "name"], "Input should be a valid string", "string_type")],
      [{ type: "allowed_tools", mode: "none", tools: [] }, unionError(["allowed_tools", "mode"], "Input should be 'auto' or 'required'", "literal_error")],
    ];
    for (const [toolChoice, errors] of cases) expect(await rejected(toolChoice), JSON.stringify(toolChoice)).toEqual(errors);
  });

  it("fails as 0.4.0 does (500) on a choice without tools or an allowed tool without a type", async () => {
    for (const body of [
      { tool_choice: "auto" },
      { tools: [WEATHER_TOOL], tool_choice: { type: "allowed_tools", tools: [{ name: "get_weather" }] } },
    ]) {
      const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, input: "hi", ...body });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ detail: "Internal server error: An unexpected error occurred." });
    }
    const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, input: "hi", tool_choice: "auto", stream: true });
    const frames = sseData(await res.text()).map((f) => JSON.parse(f) as Json);
    expect(frames.map((f) => f.type ?? f.error)).toEqual([
      "response.created",
      "response.in_progress",
      { message: "500: Internal server error: An unexpected error occurred." },
    ]);
    expect(provider.chatRequests).toEqual([]);
  });
});
