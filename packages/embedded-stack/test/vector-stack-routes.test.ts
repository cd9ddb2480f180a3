import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type EmbeddedStackHandle, startEmbeddedStack } from "../src/index.js";
import { type FakeEmbeddingsServer, startFakeEmbeddings } from "./vector-fixtures.js";

/**
 * The five APIs through the assembled stack (startEmbeddedStack with its default run config), with
 * the llama-cpp provider URL pointing at the embeddings/chat provider double: error envelope,
 * request context and deterministic ids come from the real server core.
 */

const EMBED = "llama-cpp/all-MiniLM-L6-v2";
const CHAT = "llama-cpp/tiny-random-llama";
const TEST_ID = "tests/integration/vector_io/test_openai_vector_stores.py::test_stack_routes";
const withTestId = { "X-LlamaStack-Provider-Data": JSON.stringify({ __test_id: TEST_ID }) };

let provider: FakeEmbeddingsServer;
let stack: EmbeddedStackHandle;
let dataDir: string;

beforeAll(async () => {
  provider = await startFakeEmbeddings({ dimension: 384, models: ["tiny-random-llama", "all-MiniLM-L6-v2"] });
  dataDir = mkdtempSync(join(tmpdir(), "stack-routes-"));
  stack = await startEmbeddedStack({ port: 0, dataDir, env: { LLAMA_CPP_URL: `${provider.url}/v1` } });
});
afterAll(async () => {
  await stack?.close();
  await provider?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
}

async function upload(text: string, filename: string, purpose = "assistants") {
  const form = new FormData();
  form.append("purpose", purpose);
  form.append("file", new Blob([text]), filename);
  const res = await fetch(`${stack.url}/v1/files`, { method: "POST", body: form, headers: withTestId });
  return { status: res.status, body: (await res.json()) as { id: string } };
}

describe("the five APIs on the assembled stack", () => {
  it("mints test-scoped ids and searches an attached file with embeddings from the provider", async () => {
    const file = await upload("The capital of France is Paris.", "paris.txt");
    expect(file.status).toBe(200);
    expect(file.body.id).toMatch(/^file-\d+$/);
    const vs = await call("POST", "/v1/vector_stores", { name: "kb", embedding_model: EMBED, file_ids: [file.body.id] }, withTestId);
    expect(vs.status).toBe(200);
    expect(vs.body.id).toMatch(/^vs_\d+$/);
    expect(vs.body.file_counts).toMatchObject({ completed: 1, total: 1 });
    expect(provider.requests.at(-1)).toEqual({ model: "all-MiniLM-L6-v2", input: ["The capital of France is Paris."], encoding_format: "float" });

    const search = await call("POST", `/v1/vector_stores/${vs.body.id}/search`, { query: "capital of France" }, withTestId);
    expect(search.status).toBe(200);
    expect(search.body.data[0]).toMatchObject({ file_id: file.body.id, filename: "paris.txt" });
  });

  it("creates a vector store without embedding_model using the default config's default embedding model", async () => {
    const vs = await call("POST", "/v1/vector_stores", { name: "defaulted" }, withTestId);
    expect(vs.status).toBe(200);
    const chunks = [{ content: "hello world", chunk_id: "c1", metadata: { document_id: "d1" } }];
    const inserted = await call("POST", "/v1/vector-io/insert", { vector_store_id: vs.body.id, chunks }, withTestId);
    expect(inserted.status).toBe(200);
    const queried = await call("POST", "/v1/vector-io/query", { vector_store_id: vs.body.id, query: "hello world" }, withTestId);
    expect(queried.status).toBe(200);
    expect(queried.body.chunks[0].chunk_metadata?.chunk_embedding_model ?? EMBED).toBe(EMBED);
    expect(queried.body.chunks[0].chunk_id).toBe("c1");
  });

  it("runs a batch through the stack's inference router", async () => {
    const line = { custom_id: "a", method: "POST", url: "/v1/chat/completions", body: { model: CHAT, messages: [{ role: "user", content: "hi" }] } };
    const input = await upload(JSON.stringify(line), "in.jsonl", "batch");
    const created = await call("POST", "/v1/batches", { input_file_id: input.body.id, endpoint: "/v1/chat/completions", completion_window: "24h" }, withTestId);
    expect(created.status).toBe(200);
    // A deadline inside the test's timeout, not a count of tries: a loaded machine may take seconds.
    const batch = await vi.waitFor(
      async () => {
        const current = (await call("GET", `/v1/batches/${created.body.id}`)).body;
        expect(current.status).toBe("completed");
        return current;
      },
      { timeout: 25_000, interval: 25 },
    );
    expect(batch.request_counts).toEqual({ total: 1, completed: 1, failed: 0 });
    const out = await fetch(`${stack.url}/v1/files/${batch.output_file_id}/content`);
    const result = JSON.parse(await out.text());
    expect(JSON.parse(result.response.body).choices[0].message.content).toBe("fake reply");
  });

  // Router APIs (files, batches) and validation errors answer {"error": {"detail"}}; legacy APIs' own errors {"detail"}.
  const wrapped = (detail: unknown) => ({ error: { detail } });
  const plain = (detail: unknown) => ({ detail });
  it.each<[string, string, string, unknown, number, unknown]>([
    ["files: upload without a file", "POST", "/v1/files", { purpose: "batch" }, 400, wrapped({
      errors: [
        { loc: ["body", "file"], msg: "Field required", type: "missing" },
        { loc: ["body", "purpose"], msg: "Field required", type: "missing" },
      ],
    })],
    ["files: unknown id", "GET", "/v1/files/file-missing", undefined, 404,
      wrapped("File 'file-missing' not found. Use 'client.files.list()' to list available Files.")],
    ["vector_io: unknown store", "POST", "/v1/vector_stores/vs_missing/search", { query: "q" }, 400,
      plain("Invalid value: Vector_store 'vs_missing' not found")],
    ["vector_io: a chat model as embedding model", "POST", "/v1/vector_stores", { embedding_model: CHAT, embedding_dimension: 8 }, 400,
      plain(`Invalid value: Model '${CHAT}' is of type 'llm' rather than the expected type 'embedding'`)],
    ["batches: completion window", "POST", "/v1/batches", { input_file_id: "f", endpoint: "/v1/completions", completion_window: "2h" }, 400, wrapped({
      errors: [{ loc: ["body", "completion_window"], msg: "Input should be '24h'", type: "literal_error" }],
    })],
    ["batches: unknown id", "GET", "/v1/batches/batch_missing", undefined, 404,
      wrapped("Batch 'batch_missing' not found. Use 'batches.list()' to list available Batchs.")],
    ["conversations: unknown id", "GET", "/v1/conversations/conv_missing", undefined, 400, plain("Invalid value: Conversation conv_missing not found")],
    ["prompts: undeclared variable", "POST", "/v1/prompts", { prompt: "{{ x }}" }, 400, wrapped({
      errors: [{ loc: [], msg: "Value error, Prompt contains undeclared variables: ['x']", type: "value_error" }],
    })],
  ])("%s answers in upstream's error body", async (_name, method, path, body, status, expected) => {
    const res = await call(method, path, body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(expected);
  });
});
