/**
 * Responses API answers validated against upstream's OpenAPI spec (read from ../shared at run time):
 * response objects, every streamed event (text, function call, MCP, refusal), lists and deletion.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MCP_TOOLGROUP_ID, startMcpServer, type RunningMcpServer } from "@llama-stack-tests/mcp-test-server";
import { Ajv, type ValidateFunction } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { startEmbeddedStack, type EmbeddedStackHandle } from "../src/index.js";
import { startScriptedChatProvider, type ScriptedChatProvider } from "./responses-provider-double.js";
import { postJson, sseData } from "./server-harness.js";

const SPEC_PATH = join(import.meta.dirname, "../../../../shared/llama-stack-upstream/client-sdks/stainless/openapi.yml");
const HAVE_SPEC = existsSync(SPEC_PATH);
const MODEL = "llama-cpp/tiny-random-llama";

type Json = Record<string, any>;
type Spec = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>; components: unknown };

let ajv: Ajv;
let spec: Spec;
let provider: ScriptedChatProvider;
let mcp: RunningMcpServer;
let stack: EmbeddedStackHandle;
let dataDir: string;

/** OpenAPI 3.0's `nullable: true` as JSON Schema. */
function nullableToAnyOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableToAnyOf);
  if (!node || typeof node !== "object") return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const mapped = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, nullableToAnyOf(v)]));
  return nullable === true ? { anyOf: [mapped, { type: "null" }] } : mapped;
}

function validatorFor(method: string, path: string, contentType = "application/json"): ValidateFunction {
  const schema = spec.paths[path]?.[method]?.responses["200"]?.content?.[contentType]?.schema;
  if (!schema) throw new Error(`${method} ${path} has no 200 ${contentType} schema in the spec`);
  return ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"spec#/components/')) as object);
}

function expectValid(method: string, path: string, body: unknown, contentType?: string): void {
  const validate = validatorFor(method, path, contentType);
  expect(validate(body), `${method} ${path}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 800)}`).toBe(true);
}

beforeAll(async () => {
  if (!HAVE_SPEC) return;
  spec = parseYaml(readFileSync(SPEC_PATH, "utf8")) as Spec;
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: "spec", components: nullableToAnyOf(spec.components) });
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
    expect(validatorFor("post", "/v1/responses", "text/event-stream")({ type: "response.completed" })).toBe(false);
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
