import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMBED_DIM, EMBED_MODEL, pollUntil, type RoutesHarness, startRoutesHarness } from "./files-routes-harness.js";

let h: RoutesHarness;
beforeAll(async () => {
  h = await startRoutesHarness();
});
afterAll(async () => {
  await h.close();
});

const createStore = async (name = "docs") => {
  const res = await h.call("POST", "/v1/vector_stores", { name, embedding_model: EMBED_MODEL, metadata: { team: "a" } });
  expect(res.status).toBe(200);
  return res.body as { id: string; metadata: Record<string, unknown> };
};
const uploadText = async (text: string, filename: string) => (await h.upload(text, filename)).body.id as string;
const NOT_FOUND = (id: string) => `Invalid value: Vector_store '${id}' not found`;

describe("vector store routes", () => {
  it("creates, lists, updates and deletes stores", async () => {
    const vs = await createStore("first");
    expect(vs.id).toMatch(/^vs_[0-9a-f-]{36}$/);
    expect(vs).toMatchObject({ object: "vector_store", name: "first", metadata: { team: "a", provider_id: "sqlite-vec", provider_vector_store_id: vs.id } });
    const other = await createStore("second");
    const list = await h.call("GET", "/v1/vector_stores?limit=1&order=asc");
    expect(list.body).toMatchObject({ object: "list", has_more: true });
    const ids = (await h.call("GET", "/v1/vector_stores?order=asc")).body.data.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining([vs.id, other.id]));

    const updated = await h.call("POST", `/v1/vector_stores/${vs.id}`, { name: "renamed" });
    expect(updated.body.name).toBe("renamed");
    expect((await h.call("GET", `/v1/vector_stores/${vs.id}`)).body.name).toBe("renamed");
    expect((await h.call("DELETE", `/v1/vector_stores/${vs.id}`)).body).toEqual({ id: vs.id, object: "vector_store.deleted", deleted: true });
    const gone = await h.call("GET", `/v1/vector_stores/${vs.id}`);
    expect(gone.status).toBe(400);
    expect(gone.body.detail).toBe(NOT_FOUND(vs.id));
  });

  it("attaches a file (embedding through inference), serves content, searches in every mode, then detaches", async () => {
    const vs = await createStore();
    const fileId = await uploadText("Python is a programming language loved for readability.", "python.txt");
    const before = h.embeddings.requests.length;
    const attached = await h.call("POST", `/v1/vector_stores/${vs.id}/files`, { file_id: fileId, attributes: { lang: "en" } });
    expect(attached.body).toMatchObject({
      id: fileId,
      object: "vector_store.file",
      status: "completed",
      attributes: { lang: "en" },
      vector_store_id: vs.id,
      chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } },
    });
    // The provider saw upstream's embeddings request: provider model id and the chunk texts.
    expect(h.embeddings.requests.slice(before)).toEqual([
      { model: "embed", input: ["Python is a programming language loved for readability."], encoding_format: "float" },
    ]);

    expect((await h.call("GET", `/v1/vector_stores/${vs.id}/files/${fileId}`)).body.status).toBe("completed");
    const listed = await h.call("GET", `/v1/vector_stores/${vs.id}/files?filter=completed`);
    expect(listed.body.data.map((f: { id: string }) => f.id)).toEqual([fileId]);
    const content = await h.call("GET", `/v1/vector_stores/${vs.id}/files/${fileId}/content?include_embeddings=true&include_metadata=false`);
    expect(content.body.object).toBe("vector_store.file_content.page");
    expect(content.body.data[0].text).toBe("Python is a programming language loved for readability.");
    expect(content.body.data[0].embedding).toHaveLength(EMBED_DIM);
    expect(content.body.data[0].metadata).toBeNull();

    for (const search_mode of ["vector", "keyword", "hybrid"]) {
      const res = await h.call("POST", `/v1/vector_stores/${vs.id}/search`, { query: "Python programming", search_mode });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ object: "vector_store.search_results.page", search_query: ["Python programming"], has_more: false });
      expect(res.body.data[0]).toMatchObject({ file_id: fileId, filename: "python.txt", attributes: { lang: "en" } });
      // BM25 over a one-chunk corpus scores about 0, so only the vector similarity is checked for sign.
      if (search_mode === "vector") expect(res.body.data[0].score).toBeGreaterThan(0);
      else expect(res.body.data[0].score).toEqual(expect.any(Number));
    }
    const filtered = await h.call("POST", `/v1/vector_stores/${vs.id}/search`, {
      query: "Python",
      filters: { type: "eq", key: "lang", value: "fr" },
    });
    expect(filtered.body.data).toEqual([]);
    const thresholded = await h.call("POST", `/v1/vector_stores/${vs.id}/search`, {
      query: "Python",
      ranking_options: { score_threshold: 1.5 },
    });
    expect(thresholded.body.data).toEqual([]);

    const updated = await h.call("POST", `/v1/vector_stores/${vs.id}/files/${fileId}`, { attributes: { lang: "fr" } });
    expect(updated.body.attributes).toEqual({ lang: "fr" });
    const del = await h.call("DELETE", `/v1/vector_stores/${vs.id}/files/${fileId}`);
    expect(del.body).toEqual({ id: fileId, object: "vector_store.file.deleted", deleted: true });
    expect((await h.call("GET", `/v1/vector_stores/${vs.id}`)).body.file_counts.total).toBe(0);
  });

  it("processes a file batch in the request context and lists its files; a finished batch cannot be cancelled", async () => {
    const vs = await createStore();
    const ids = [await uploadText("alpha text", "a.txt"), await uploadText("beta text", "b.txt")];
    const testId = "tests/integration/vector_io/test_openai_vector_stores.py::test_batch";
    const from = h.inferenceTestIds.length;
    const created = await h.call(
      "POST",
      `/v1/vector_stores/${vs.id}/file_batches`,
      { file_ids: ids },
      { "X-LlamaStack-Provider-Data": JSON.stringify({ __test_id: testId }) },
    );
    expect(created.body).toMatchObject({ object: "vector_store.file_batch", vector_store_id: vs.id, status: "in_progress" });
    const batchPath = `/v1/vector_stores/${vs.id}/file_batches/${created.body.id}`;
    const done = await pollUntil(h, batchPath, (b) => b.status !== "in_progress");
    expect(done).toMatchObject({ status: "completed", file_counts: { completed: 2, failed: 0, in_progress: 0, total: 2 } });
    // The background embedding calls ran in the creating request's context (its test id).
    expect(h.inferenceTestIds.slice(from)).toEqual([testId, testId]);
    const files = await h.call("GET", `${batchPath}/files?order=asc`);
    expect(files.body.data.map((f: { id: string }) => f.id).sort()).toEqual([...ids].sort());
    const cancel = await h.call("POST", `${batchPath}/cancel`);
    expect(cancel.status).toBe(400);
    expect(cancel.body.detail).toBe(`Invalid value: Cannot cancel batch ${created.body.id} with status completed`);
  });

  it("inserts and queries chunks through vector-io", async () => {
    const vs = await createStore();
    const chunks = [
      { content: "Neural networks learn from data.", chunk_id: "c1", metadata: { document_id: "d1" } },
      { content: "Bread is baked in an oven.", chunk_id: "c2", metadata: { document_id: "d2" }, chunk_metadata: { chunk_id: "c2" } },
    ];
    const insert = await h.call("POST", "/v1/vector-io/insert", { vector_store_id: vs.id, chunks });
    expect(insert.status).toBe(200);
    expect(insert.body).toBeNull();
    const query = await h.call("POST", "/v1/vector-io/query", {
      vector_store_id: vs.id,
      query: "neural networks",
      params: { max_chunks: 1 },
    });
    expect(query.status).toBe(200);
    expect(query.body.chunks).toHaveLength(1);
    expect(query.body.chunks[0]).toMatchObject({ chunk_id: "c1", content: "Neural networks learn from data." });
    expect(query.body.scores).toHaveLength(1);
  });

  it.each<[string, string, string, unknown, unknown]>([
    ["an unknown chunking strategy", "POST", "/v1/vector_stores", { embedding_model: EMBED_MODEL, chunking_strategy: { type: "fancy" } }, {
      errors: [{ loc: ["body", "chunking_strategy", "type"], msg: expect.stringContaining("'auto'"), type: expect.any(String) }],
    }],
    ["a chunk size out of range", "POST", "/v1/vector_stores",
      { embedding_model: EMBED_MODEL, chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 50, chunk_overlap_tokens: 0 } } }, {
        errors: [{ loc: ["body", "chunking_strategy", "static", "max_chunk_size_tokens"], msg: "Input should be greater than or equal to 100", type: "greater_than_equal" }],
      }],
    ["a chat model as embedding model", "POST", "/v1/vector_stores", { embedding_model: "double/tiny-llama", embedding_dimension: 8 },
      "Invalid value: Model 'double/tiny-llama' is of type 'llm' rather than the expected type 'embedding'"],
    ["a search without query", "POST", "/v1/vector_stores/vs_x/search", {}, {
      errors: [{ loc: ["body", "query"], msg: "Field required", type: "missing" }],
    }],
    ["an unknown search mode", "POST", "/v1/vector_stores/vs_x/search", { query: "q", search_mode: "fuzzy" },
      "Invalid value: search_mode must be one of {'keyword', 'vector', 'hybrid'}, got fuzzy"],
    ["an attach without file_id", "POST", "/v1/vector_stores/vs_x/files", {}, {
      errors: [{ loc: ["body", "file_id"], msg: "Field required", type: "missing" }],
    }],
    ["a bad file status filter", "GET", "/v1/vector_stores/vs_x/files?filter=done", undefined, {
      errors: [{ loc: ["query", "filter"], msg: "Input should be 'completed', 'in_progress', 'cancelled' or 'failed'", type: "enum" }],
    }],
    ["a non-boolean include flag", "GET", "/v1/vector_stores/vs_x/files/f/content?include_embeddings=maybe", undefined, {
      errors: [{ loc: ["query", "include_embeddings"], msg: "Input should be a valid boolean", type: "bool_type" }],
    }],
    ["a file update without attributes", "POST", "/v1/vector_stores/vs_x/files/f", {}, {
      errors: [{ loc: ["body", "attributes"], msg: "Field required", type: "missing" }],
    }],
    ["a file batch without file_ids", "POST", "/v1/vector_stores/vs_x/file_batches", {}, {
      errors: [{ loc: ["body", "file_ids"], msg: "Field required", type: "missing" }],
    }],
    ["an insert without chunks", "POST", "/v1/vector-io/insert", { vector_store_id: "vs_x" }, {
      errors: [{ loc: ["body", "chunks"], msg: "Field required", type: "missing" }],
    }],
    ["a query without query", "POST", "/v1/vector-io/query", { vector_store_id: "vs_x" }, {
      errors: [{ loc: ["body", "query"], msg: "Field required", type: "missing" }],
    }],
    ["a non-integer max_chunks", "POST", "/v1/vector-io/query", { vector_store_id: "vs_x", query: "q", params: { max_chunks: 1.5 } }, {
      errors: [{ loc: ["body", "params", "max_chunks"], msg: "Input should be a valid integer", type: "int_type" }],
    }],
    ["a ranker that is not an object", "POST", "/v1/vector-io/query", { vector_store_id: "vs_x", query: "q", params: { ranker: "rrf" } }, {
      errors: [{ loc: ["body", "params", "ranker"], msg: "Input should be a valid dictionary", type: "dict_type" }],
    }],
    ["an unknown store", "GET", "/v1/vector_stores/vs_missing", undefined, NOT_FOUND("vs_missing")],
    ["an insert into an unknown store", "POST", "/v1/vector-io/insert", { vector_store_id: "vs_missing", chunks: [] }, NOT_FOUND("vs_missing")],
    ["an unknown file in a store", "GET", "/v1/vector_stores/vs_missing/files/file-x", undefined, NOT_FOUND("vs_missing")],
  ])("rejects %s with 400", async (_name, method, path, body, detail) => {
    const res = await h.call(method, path, body);
    expect(res.status).toBe(400);
    // Validation errors are wrapped on every API; vector_io answers its own errors plainly.
    expect(res.body).toEqual(typeof detail === "string" ? { detail } : { error: { detail } });
  });

  it("reports a store created without any embedding model as a missing model (404)", async () => {
    const res = await h.call("POST", "/v1/vector_stores", { name: "x" });
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe("Model 'None' not found. Use 'client.models.list()' to list available Models.");
  });
});
