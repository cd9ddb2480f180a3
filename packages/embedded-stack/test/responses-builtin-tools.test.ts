/**
 * file_search and web_search in the Responses API on the assembled stack: file_search offered as
 * upstream's knowledge_search and answered from the stack's vector stores (filters, the tool message
 * the model reads, the file_search_call item and its results, citations), web_search answered by the
 * tool runtime through a real recording proxy's tool route (replay of a recorded Tavily call).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRecordingProxy, toolRequestHash, type RecordingProxy } from "@llama-stack-tests/recording";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmbeddedStack, type EmbeddedStackHandle } from "../src/index.js";
import { startScriptedChatProvider, type ScriptedChatProvider } from "./responses-provider-double.js";
import { postJson, sseData } from "./server-harness.js";

const MODEL = "llama-cpp/tiny-random-llama";
const EMBED = "llama-cpp/tiny-random-llama-embed";
const TEST_ID = "tests/integration/responses/test_tool_responses.py::test_builtin_tools";
const PROVIDER_DATA = { "X-LlamaStack-Provider-Data": JSON.stringify({ __test_id: TEST_ID }) };
const RECORDED_QUERY = "latest version of Python";
const RECORDED_CONTENT = JSON.stringify({ query: RECORDED_QUERY, top_k: [{ url: "https://example.org", title: "Python 3.14", content: "3.14" }] });

type Json = Record<string, any>;

let provider: ScriptedChatProvider;
let proxy: RecordingProxy;
let stack: EmbeddedStackHandle;
let dataDir: string;
let recordingsDir: string;

/** A tool recording as upstream's recorder writes it for a Tavily search. */
function writeToolRecording(kwargs: Json, content: string): void {
  const dir = join(recordingsDir, "responses", "recordings");
  mkdirSync(dir, { recursive: true });
  const hash = toolRequestHash({ provider: "tavily", toolName: "web_search", kwargs });
  const recording = {
    test_id: TEST_ID,
    request: { test_id: TEST_ID, provider: "tavily", tool_name: "web_search", kwargs },
    response: {
      body: {
        __type__: "llama_stack_api.tools.ToolInvocationResult",
        __data__: { content, error_message: null, error_code: null, metadata: null },
      },
      is_streaming: false,
    },
    id_normalization_mapping: {},
  };
  writeFileSync(join(dir, `${hash}.json`), JSON.stringify(recording));
}

beforeAll(async () => {
  provider = await startScriptedChatProvider();
  dataDir = mkdtempSync(join(tmpdir(), "responses-builtin-"));
  recordingsDir = join(dataDir, "recordings");
  writeToolRecording({ query: RECORDED_QUERY }, RECORDED_CONTENT);
  proxy = await startRecordingProxy({ mode: "replay", recordingsDir, providers: [], host: "127.0.0.1", port: 0 });
  stack = await startEmbeddedStack({
    port: 0,
    dataDir: join(dataDir, "stack"),
    env: { LLAMA_CPP_URL: provider.baseUrl, LLAMA_STACK_TOOL_REPLAY_URL: `${proxy.url}/__tools` },
  });
});
afterAll(async () => {
  await stack?.close();
  await proxy?.close();
  await provider?.close();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  provider.chatRequests.length = 0;
  provider.turns.length = 0;
});

async function call(method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { ...PROVIDER_DATA, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Json;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

async function upload(text: string, filename: string): Promise<string> {
  const form = new FormData();
  form.append("purpose", "assistants");
  form.append("file", new Blob([text]), filename);
  const res = await fetch(`${stack.url}/v1/files`, { method: "POST", body: form, headers: PROVIDER_DATA });
  return ((await res.json()) as { id: string }).id;
}

async function streamed(body: Json): Promise<Json[]> {
  const res = await postJson(`${stack.url}/v1/responses`, { model: MODEL, stream: true, ...body }, PROVIDER_DATA);
  return sseData(await res.text()).map((f) => JSON.parse(f) as Json);
}

const toolNames = (request: Json | undefined) => (request?.tools as Json[]).map((t) => t.function.name);
const lastMessage = (request: Json | undefined) => (request?.messages as Json[]).at(-1);

describe("file_search", () => {
  let storeId: string;
  let parisFile: string;

  beforeAll(async () => {
    parisFile = await upload("The capital of France is Paris.", "paris.txt");
    const berlinFile = await upload("Berlin is the capital of Germany.", "berlin.txt");
    storeId = (await call("POST", "/v1/vector_stores", { name: "kb", embedding_model: EMBED })).id;
    await call("POST", `/v1/vector_stores/${storeId}/files`, { file_id: parisFile, attributes: { region: "eu", year: 2024 } });
    await call("POST", `/v1/vector_stores/${storeId}/files`, { file_id: berlinFile, attributes: { region: "de", year: 2023 } });
  });

  it("offers knowledge_search, feeds the hits back with citation instructions and reports the call with its results", async () => {
    provider.turns.push(
      { toolCalls: [{ id: "call_fs", name: "knowledge_search", arguments: '{"query":"capital of France"}' }] },
      { text: [`Paris is the capital <|${parisFile}|>.`] },
    );
    const events = await streamed({
      input: "What is the capital of France?",
      tools: [{ type: "file_search", vector_store_ids: [storeId], max_num_results: 1 }],
      include: ["file_search_call.results"],
    });

    expect(provider.chatRequests[0]?.tools).toEqual([
      {
        type: "function",
        function: {
          name: "knowledge_search",
          description: "Search for information in a database.",
          parameters: {
            type: "object",
            properties: { query: { type: "string", description: "The query to search for. Can be a natural language sentence or keywords." } },
            required: ["query"],
          },
        },
      },
    ]);
    const tool = lastMessage(provider.chatRequests[1]);
    expect(tool).toMatchObject({ role: "tool", tool_call_id: "call_fs" });
    const parts = (tool?.content as Json[]).map((p) => p.text as string);
    expect(parts).toHaveLength(4);
    expect(parts[0]).toBe("knowledge_search tool found 1 chunks:\nBEGIN of knowledge_search tool results.\n");
    expect(parts[1]).toMatch(new RegExp(`^\\[1\\] document_id: ${parisFile}, score: [0-9.e-]+, attributes: \\{'region': 'eu', 'year': 2024\\.0, `));
    expect(parts[1]).toContain(`(cite as <|${parisFile}|>)\nThe capital of France is Paris.\n`);
    expect(parts[2]).toBe("END of knowledge_search tool results.\n");
    expect(parts[3]).toMatch(/^The above results were retrieved to help answer the user's query: "capital of France"\. .*Cite sources/);

    const types = events.map((e) => e.type);
    const searchEvents = types.filter((t) => t.startsWith("response.file_search_call."));
    expect(searchEvents).toEqual(["response.file_search_call.in_progress", "response.file_search_call.searching", "response.file_search_call.completed"]);
    const added = events.find((e) => e.type === "response.output_item.added" && e.item.type === "file_search_call");
    expect(added?.item).toEqual({ id: expect.any(String), queries: ['{"query":"capital of France"}'], status: "in_progress", type: "file_search_call", results: null });

    const done = events.at(-1) as Json;
    expect(done.type).toBe("response.completed");
    const [searchCall, message] = done.response.output as Json[];
    expect(searchCall).toMatchObject({ queries: ["capital of France"], status: "completed", type: "file_search_call" });
    expect(searchCall?.results).toEqual([
      { attributes: {}, file_id: parisFile, filename: parisFile, score: expect.any(Number), text: "The capital of France is Paris." },
    ]);
    expect(message?.content).toEqual([
      {
        text: "Paris is the capital.",
        type: "output_text",
        annotations: [{ type: "file_citation", file_id: parisFile, filename: "paris.txt", index: 20 }],
      },
    ]);
  });

  it("applies the tool's filters: no hits, no citation instruction", async () => {
    provider.turns.push(
      { toolCalls: [{ id: "call_none", name: "knowledge_search", arguments: '{"query":"capital"}' }] },
      { text: ["Nothing found."] },
    );
    const response = await call("POST", "/v1/responses", {
      model: MODEL,
      input: "Capitals?",
      tools: [{ type: "file_search", vector_store_ids: [storeId], filters: { type: "eq", key: "region", value: "us" } }],
    });
    const parts = (lastMessage(provider.chatRequests[1])?.content as Json[]).map((p) => p.text);
    expect(parts).toEqual([
      "knowledge_search tool found 0 chunks:\nBEGIN of knowledge_search tool results.\n",
      "END of knowledge_search tool results.\n",
      `The above results were retrieved to help answer the user's query: "capital". Use them as supporting information only in answering this query.\n`,
    ]);
    expect(response.output[0]).toMatchObject({ type: "file_search_call", status: "completed", results: [] });
  });
});

describe("web_search", () => {
  it("offers the tool runtime's web_search and answers the call from the recorded Tavily search", async () => {
    provider.turns.push(
      { toolCalls: [{ id: "call_ws", name: "web_search", arguments: JSON.stringify({ query: RECORDED_QUERY }) }] },
      { text: ["Python 3.14."] },
    );
    const events = await streamed({ input: "Latest Python?", tools: [{ type: "web_search" }] });

    expect(toolNames(provider.chatRequests[0])).toEqual(["web_search"]);
    expect((provider.chatRequests[0]?.tools as Json[])[0]?.function).toEqual({
      name: "web_search",
      description: "Search the web for information",
      parameters: { type: "object", properties: { query: { type: "string", description: "The query to search for" } }, required: ["query"] },
    });
    expect(lastMessage(provider.chatRequests[1])).toEqual({ role: "tool", content: RECORDED_CONTENT, tool_call_id: "call_ws" });
    expect(events.map((e) => e.type).filter((t) => t.startsWith("response.web_search_call."))).toEqual([
      "response.web_search_call.in_progress",
      "response.web_search_call.searching",
      "response.web_search_call.completed",
    ]);
    const done = events.at(-1) as Json;
    expect(done.response.output[0]).toEqual({ id: expect.any(String), status: "completed", type: "web_search_call" });
    expect(done.response.output[1].content[0].text).toBe("Python 3.14.");
  });

  it("marks the call failed and tells the model why when no recording answers the search", async () => {
    provider.turns.push(
      { toolCalls: [{ id: "call_miss", name: "web_search", arguments: '{"query":"never recorded"}' }] },
      { text: ["Sorry."] },
    );
    const response = await call("POST", "/v1/responses", { model: MODEL, input: "Search", tools: [{ type: "web_search_preview" }] });
    expect(response.output[0]).toMatchObject({ status: "failed", type: "web_search_call" });
    const tool = lastMessage(provider.chatRequests[1]);
    expect(tool?.content).toContain("Tool recording not found for tavily.web_search");
  });
});
