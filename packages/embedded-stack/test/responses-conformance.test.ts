/**
 * Responses API answers validated against upstream's OpenAPI spec (read from ../shared at run time):
 * response objects, every streamed event (text, function call, MCP, refusal), lists and deletion.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MCP_TOOLGROUP_ID, startMcpServer, type RunningMcpServer } from "@llama-stack-tests/mcp-test-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedStack, type EmbeddedStackHandle } from "../src/index.js";
import { startScriptedChatProvider, type ScriptedChatProvider } from "./responses-provider-double.js";
import { postJson, sseData } from "./server-harness.js";
import { HAVE_SPEC, loadSpecValidator, type SpecValidator } from "./spec-validator.js";

const MODEL = "llama-cpp/tiny-random-llama";

type Json = Record<string, any>;

let expectValid: SpecValidator["expectValid"];
let isValid: SpecValidator["isValid"];
let provider: ScriptedChatProvider;
let mcp: RunningMcpServer;
let stack: EmbeddedStackHandle;
let dataDir: string;

beforeAll(async () => {
  if (!HAVE_SPEC) return;
  ({ expectValid, isValid } = loadSpecValidator());
  provider = await startScriptedChatProvider();
  mcp = await startMcpServer({ tools: "default" });
  dataDir = mkdtempSync(join(tmpdir(), "responses-conformance-"));
  stack = await startEmbeddedStack({ port: 0, dataDir, env: { LLAMA_CPP_URL: provider.baseUrl } });
});
afterAll(async () => {
  await stack?.close();
  await mcp?.close();
  await provider?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function streamedEvents(body: Json): Promise<Json[]> {
  const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, stream: true, ...body });
  return sseData(await res.text()).map((f) => JSON.parse(f) as Json);
}

describe.skipIf(!HAVE_SPEC)("Responses API conformance with upstream's OpenAPI spec (skipped when ../shared/llama-stack-upstream is absent)", () => {
  it("validates created, retrieved, listed and deleted responses and input items", async () => {
    provider.turns.push({ text: ["Hi"] });
    const created = (await (await postJson(`${stack.url}/v1/responses`, { model: MODEL, input: "hello", instructions: "Be kind." })).json()) as Json;
    expectValid("post", "/v1/responses", created);
    expectValid("get", "/v1/responses/{response_id}", await (await fetch(`${stack.url}/v1/responses/${created.id}`)).json());
    expectValid("get", "/v1/responses", await (await fetch(`${stack.url}/v1/responses`)).json());
    expectValid("get", "/v1/responses/{response_id}/input_items", await (await fetch(`${stack.url}/v1/responses/${created.id}/input_items`)).json());
    const deleted = await fetch(`${stack.url}/v1/responses/${created.id}`, { method: "DELETE" });
    expectValid("delete", "/v1/responses/{response_id}", await deleted.json());
  });

  it("validates every streamed event of text, function call, MCP and refusal responses", async () => {
    provider.turns.push(
      { text: ["Hel", "lo"] },
      { toolCalls: [{ id: "call_f", name: "get_weather", arguments: '{"city":"Paris"}' }] },
      { toolCalls: [{ id: "call_m", name: "greet_everyone", arguments: '{"url":"x"}' }] },
      { text: ["Done"] },
    );
    const weather = { type: "function", name: "get_weather", description: "Weather", parameters: { type: "object" } };
    const mcpTool = { type: "mcp", server_label: MCP_TOOLGROUP_ID, server_url: mcp.url, require_approval: "never" };
    const streams = [
      await streamedEvents({ input: "hi" }),
      await streamedEvents({ input: "weather?", tools: [weather] }),
      await streamedEvents({ input: "greet", tools: [mcpTool] }),
    ];
    provider.guardVerdict = () => "unsafe\nS1";
    streams.push(await streamedEvents({ input: "bad", guardrails: ["llama-guard"] }));
    provider.guardVerdict = () => "safe";
    // The stream schema has teeth: an event without its payload does not pass.
    expect(isValid("post", "/v1/responses", { type: "response.completed" }, "text/event-stream")).toBe(false);
    const types = new Set<string>();
    for (const events of streams) {
      for (const event of events) {
        types.add(event.type as string);
        expectValid("post", "/v1/responses", event, "text/event-stream");
      }
    }
    expect([...types]).toEqual(
      expect.arrayContaining([
        "response.output_text.delta",
        "response.function_call_arguments.done",
        "response.mcp_list_tools.completed",
        "response.mcp_call.completed",
        "response.completed",
      ]),
    );
  });
});
