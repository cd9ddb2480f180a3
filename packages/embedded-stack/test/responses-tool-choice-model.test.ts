/**
 * `tool_choice: "required"` against the project's model server (live, its tiny model), as the
 * telemetry tests drive it: the model must call the MCP or file_search tool on the first turn and
 * answer on the next, so the output is what llama-stack 0.4.0 answers to the same request.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMcpServer, type RunningMcpServer } from "@llama-stack-tests/mcp-test-server";
import { ensureTinyModel, startModelServer, type ModelServerHandle } from "@llama-stack-tests/model-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedStack, type EmbeddedStackHandle } from "../src/index.js";

const MODEL = "llama-cpp/tiny-random-llama";
const EMBED = "llama-cpp/tiny-random-llama-embed";
const LIMITS = { tool_choice: "required", max_tool_calls: 1, max_output_tokens: 16 };

type Json = Record<string, any>;

let modelServer: ModelServerHandle;
let mcp: RunningMcpServer;
let stack: EmbeddedStackHandle;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tool-choice-model-"));
  modelServer = await startModelServer({ modelPath: await ensureTinyModel(join(dir, "models")), port: 0 });
  mcp = await startMcpServer({ tools: "default" });
  stack = await startEmbeddedStack({ port: 0, dataDir: join(dir, "data"), env: { LLAMA_CPP_URL: `${modelServer.url}/v1` } });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await mcp?.close();
  await modelServer?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(path: string, body: unknown): Promise<Json> {
  const form = body instanceof FormData;
  const res = await fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: form ? {} : { "content-type": "application/json" },
    body: form ? body : JSON.stringify(body),
  });
  const json = (await res.json()) as Json;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

describe('tool_choice "required" on the model server', () => {
  it("calls the MCP tool once, then answers: [mcp_list_tools, mcp_call, message]", async () => {
    const response = await call("/v1/responses", {
      model: MODEL,
      input: "What is the boiling point of water?",
      tools: [{ type: "mcp", server_label: "localmcp", server_url: mcp.url, require_approval: "never" }],
      ...LIMITS,
    });
    expect(response.output.map((o: Json) => o.type)).toEqual(["mcp_list_tools", "mcp_call", "message"]);
    expect(mcp.toolCalls.map((c) => c.tool)).toEqual([response.output[1].name]);
    expect(response.tool_choice).toBe("required");
  }, 120_000);

  it("searches the vector store once, then answers: [file_search_call, message]", async () => {
    const form = new FormData();
    form.append("purpose", "assistants");
    form.append("file", new Blob(["Water boils at 100 degrees Celsius at sea level."]), "water.txt");
    const file = await call("/v1/files", form);
    const store = await call("/v1/vector_stores", { name: "kb", file_ids: [file.id], embedding_model: EMBED });
    const response = await call("/v1/responses", {
      model: MODEL,
      input: "At what temperature does water boil?",
      tools: [{ type: "file_search", vector_store_ids: [store.id] }],
      ...LIMITS,
    });
    expect(response.output.map((o: Json) => o.type)).toEqual(["file_search_call", "message"]);
    expect(response.output[0].status).toBe("completed");
  }, 120_000);
});
