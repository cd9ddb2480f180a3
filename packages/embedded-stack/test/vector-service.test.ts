import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FilesStore } from "../src/apis/files/store.js";
import { type VectorIoProvider, VectorIoService } from "../src/apis/vector_io/service.js";
import type { Chunk } from "../src/apis/vector_io/types.js";
import { bagOfWords } from "./vector-fixtures.js";

const DIM = 64;
const MODEL = "test/embed";
let dir: string;
let db: Database.Database;
let files: FilesStore;
let svc: VectorIoService;
let embedCalls: string[][];
/** The service's clock, in seconds: each test moves it, so ordering never depends on when the second ticks. */
let clock = 1_700_000_000;

function makeService(providers: VectorIoProvider[] = [{ provider_id: "sqlite-vec", provider_type: "inline::sqlite-vec" }]) {
  let n = 0;
  return new VectorIoService({
    db,
    files,
    providers,
    embed: async (model, input) => {
      expect(model).toBe(MODEL);
      embedCalls.push(input);
      return input.map((t) => bagOfWords(t, DIM));
    },
    lookupModel: async (id) =>
      id === MODEL
        ? { identifier: id, model_type: "embedding", metadata: { embedding_dimension: DIM } }
        : id === "test/chat"
          ? { identifier: id, model_type: "llm", metadata: {} }
          : undefined,
    mintId: (kind, fallback) => (kind === "vector_store" ? `vs_${++n}` : fallback()),
    now: () => clock,
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vector-service-"));
  db = new Database(join(dir, "stack.db"));
  files = new FilesStore({ db, dir: join(dir, "files") });
  embedCalls = [];
  svc = makeService();
});

afterEach(async () => {
  await svc.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const SAMPLE: [string, string, string][] = [
  ["Python is a high-level programming language that emphasizes code readability.", "doc1", "programming"],
  ["Machine learning is a subset of artificial intelligence that learns from experience.", "doc2", "ai"],
  ["Data structures organize and store data efficiently for computer science.", "doc3", "computer_science"],
  ["Neural networks are inspired by biological neural networks in animal brains.", "doc4", "ai"],
];
const sampleChunks = (): Chunk[] =>
  SAMPLE.map(([content, doc, topic]) => ({
    content,
    chunk_id: `${doc}-c`,
    metadata: { document_id: doc, topic },
    embedding: null,
    chunk_metadata: null,
  }));

const create = (extra: Record<string, unknown> = { embedding_model: MODEL }) => svc.createStore({ name: "s", extra });
const upload = (name: string, text: string) =>
  files.create({ filename: name, purpose: "assistants", content: Buffer.from(text) });

describe("vector stores", () => {
  it("creates with the model's dimension, provider metadata and a static default strategy", async () => {
    const vs = await svc.createStore({ name: "n", metadata: { purpose: "t" }, extra: { embedding_model: MODEL } });
    expect(vs).toMatchObject({
      id: "vs_1",
      object: "vector_store",
      name: "n",
      status: "completed",
      usage_bytes: 0,
      file_counts: { completed: 0, cancelled: 0, failed: 0, in_progress: 0, total: 0 },
      metadata: { purpose: "t", provider_id: "sqlite-vec", provider_vector_store_id: "vs_1" },
      expires_at: null,
    });
    expect(svc.retrieveStore("vs_1")).toEqual(vs);
  });

  it.each([
    [{}, "Model 'None' not found. Use 'client.models.list()' to list available Models."],
    [{ embedding_model: "nope/x" }, "Invalid value: Embedding model 'nope/x' not found or not an embedding model"],
    [{ embedding_model: "nope/x", embedding_dimension: 8 }, "Model 'nope/x' not found. Use 'client.models.list()' to list available Models."],
    [{ embedding_model: "test/chat", embedding_dimension: 8 }, "Invalid value: Model 'test/chat' is of type 'llm' rather than the expected type 'embedding'"],
    [{ embedding_model: MODEL, provider_id: "faiss" }, "Invalid value: Provider `faiss` not found"],
  ])("rejects creation with %j", async (extra, message) => {
    await expect(create(extra)).rejects.toThrow(message);
  });

  it("requires provider_id when several providers exist and no default is configured", async () => {
    svc = makeService([
      { provider_id: "faiss", provider_type: "inline::faiss" },
      { provider_id: "sqlite-vec", provider_type: "inline::sqlite-vec" },
    ]);
    await expect(create()).rejects.toThrow(
      "Invalid value: Multiple vector_io providers available. Please specify provider_id in extra_body. Available providers: ['faiss', 'sqlite-vec']",
    );
    await expect(create({ embedding_model: MODEL, provider_id: "faiss" })).resolves.toMatchObject({ metadata: { provider_id: "faiss" } });
  });

  it("lists newest first with cursors, updates and deletes", async () => {
    const a = await create();
    clock += 1;
    const b = await create();
    const page = svc.listStores({ limit: 1 });
    expect(page).toMatchObject({ object: "list", has_more: true, first_id: b.id });
    expect(svc.listStores({ after: b.id }).data.map((s) => s.id)).toEqual([a.id]);
    expect(svc.listStores({ order: "asc" }).data.map((s) => s.id)).toEqual([a.id, b.id]);
    const updated = svc.updateStore(a.id, { name: "renamed", metadata: { v: "2" } });
    expect(updated).toMatchObject({ name: "renamed", metadata: { v: "2" } });
    expect(() => svc.updateStore(a.id, { metadata: { provider_id: "other" } })).toThrow(
      "Invalid value: provider_id cannot be changed after vector store creation",
    );
    expect(svc.deleteStore(a.id)).toEqual({ id: a.id, object: "vector_store.deleted", deleted: true });
    expect(() => svc.retrieveStore(a.id)).toThrow("Invalid value: Vector_store 'vs_1' not found");
  });
});

describe("chunks and search", () => {
  it("embeds inserted chunks in one call and finds the closest by vector", async () => {
    const vs = await create();
    await svc.insertChunks(vs.id, sampleChunks());
    expect(embedCalls).toHaveLength(1);
    const res = await svc.queryChunks(vs.id, "What is Python programming language?");
    expect(res.chunks).toHaveLength(3);
    expect(res.chunks[0]?.metadata.document_id).toBe("doc1");
    expect(res.chunks[0]?.embedding).toHaveLength(DIM);
    expect(res.scores[0]).toBeGreaterThan(res.scores[1] ?? Infinity);
  });

  it("keeps precomputed embeddings and checks their dimension", async () => {
    const vs = await create();
    const chunk = { ...sampleChunks()[0]!, embedding: new Array(DIM).fill(0.1) };
    await svc.insertChunks(vs.id, [chunk]);
    expect(embedCalls).toHaveLength(0);
    await expect(svc.insertChunks(vs.id, [{ ...chunk, embedding: [0.1, 0.2] }])).rejects.toThrow(
      `Invalid value: Embedding at index 0 has dimension 2, expected ${DIM}`,
    );
  });

  it("searches by keyword with negative bm25 scores and by hybrid RRF", async () => {
    const vs = await create();
    await svc.insertChunks(vs.id, sampleChunks());
    const kw = await svc.search(vs.id, { query: "neural", search_mode: "keyword" });
    expect(kw.data.map((r) => r.file_id)).toEqual(["doc4"]);
    expect(kw.data[0]?.score).toBeLessThan(0);
    const hy = await svc.search(vs.id, { query: "neural networks brains", search_mode: "hybrid", max_num_results: 2 });
    expect(hy.data[0]?.file_id).toBe("doc4");
    expect(hy.data[0]?.score).toBeCloseTo(2 / 61);
    const weighted = await svc.queryChunks(vs.id, "neural", { mode: "hybrid", ranker: { strategy: "weighted", params: { weights: [0, 1] } } });
    expect(weighted.chunks[0]?.metadata.document_id).toBe("doc4");
    expect(weighted.scores[0]).toBeCloseTo(1);
  });

  it("applies attribute filters, max_num_results and score_threshold", async () => {
    const vs = await create();
    await svc.insertChunks(vs.id, sampleChunks());
    const ai = await svc.search(vs.id, { query: "learning", filters: { type: "eq", key: "topic", value: "ai" } });
    expect(ai.data.map((r) => r.attributes?.topic)).toEqual(["ai", "ai"]);
    const compound = await svc.search(vs.id, {
      query: "data",
      filters: { type: "or", filters: [{ type: "eq", key: "document_id", value: "doc1" }, { type: "eq", key: "document_id", value: "doc3" }] },
    });
    expect(compound.data.map((r) => r.file_id).sort()).toEqual(["doc1", "doc3"]);
    expect((await svc.search(vs.id, { query: "x", max_num_results: 2 })).data).toHaveLength(2);
    const all = await svc.search(vs.id, { query: "Python programming language readability" });
    const threshold = (all.data[1]?.score ?? 0) + 0.0001;
    const top = await svc.search(vs.id, { query: "Python programming language readability", ranking_options: { score_threshold: threshold } });
    expect(top.data.map((r) => r.file_id)).toEqual(["doc1"]);
    // A filter without a type fails inside search, which upstream answers with no results.
    expect((await svc.search(vs.id, { query: "learning", filters: { topic: "ai" } })).data).toEqual([]);
  });

  it("validates search_mode and reports the query as a list", async () => {
    const vs = await create();
    await expect(svc.search(vs.id, { query: "q", search_mode: "fuzzy" })).rejects.toThrow(
      "Invalid value: search_mode must be one of {'keyword', 'vector', 'hybrid'}, got fuzzy",
    );
    expect(await svc.search(vs.id, { query: ["a", "b"] })).toEqual({
      object: "vector_store.search_results.page",
      search_query: ["a", "b"],
      data: [],
      has_more: false,
      next_page: null,
    });
  });

  it("turns invalid FTS5 keyword syntax into a 400 on vector-io query", async () => {
    const vs = await create();
    await svc.insertChunks(vs.id, sampleChunks());
    await expect(svc.queryChunks(vs.id, "What is Python?", { mode: "keyword" })).rejects.toThrow(/not valid SQLite FTS5 syntax/);
  });

  it("stands in for FAISS: vector only, scores 1/d²", async () => {
    svc = makeService([{ provider_id: "faiss", provider_type: "inline::faiss" }]);
    const vs = await create();
    await svc.insertChunks(vs.id, sampleChunks());
    await expect(svc.queryChunks(vs.id, "x", { mode: "keyword" })).rejects.toThrow(
      "Not implemented: Keyword search is not supported - underlying DB FAISS does not support this search mode",
    );
    expect((await svc.queryChunks(vs.id, "Python")).chunks[0]?.metadata.document_id).toBe("doc1");
  });

  it("filters FAISS results on the 1/d² score, so a threshold just above the second score keeps one", async () => {
    svc = makeService([{ provider_id: "faiss", provider_type: "inline::faiss" }]);
    const vs = await create();
    await svc.insertChunks(vs.id, sampleChunks());
    const query = "Python is a high-level programming language with code readability";
    const all = await svc.search(vs.id, { query, max_num_results: 3 });
    expect(all.data.length).toBeGreaterThan(1);
    const [first, second] = all.data.map((d) => d.score);
    // Scores are inverse squared distances: the best match is far ahead of the rest.
    expect(first).toBeGreaterThan(second ?? 0);
    const filtered = await svc.search(vs.id, {
      query,
      max_num_results: 10,
      ranking_options: { score_threshold: (second ?? 0) + 0.0001 },
    });
    expect(filtered.data.map((d) => d.attributes?.document_id)).toEqual(["doc1"]);
    expect(filtered.data[0]?.score).toBe(first);
  });
});

describe("files in a vector store", () => {
  it("attaches a file: chunks, embeds, counts and serves its content", async () => {
    const vs = await create();
    const f = upload("secret.txt", "The secret string is foobazbar.");
    const attached = await svc.attachFile(vs.id, f.id, { foo: "bar", n: 3 }, { type: "static", static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } });
    expect(attached).toMatchObject({ id: f.id, object: "vector_store.file", status: "completed", attributes: { foo: "bar", n: 3 }, last_error: null });
    expect(svc.retrieveStore(vs.id).file_counts).toEqual({ completed: 1, cancelled: 0, failed: 0, in_progress: 0, total: 1 });
    const res = await svc.search(vs.id, { query: "What is the secret string?", max_num_results: 1 });
    expect(res.data[0]).toMatchObject({ file_id: f.id, filename: "secret.txt", attributes: { foo: "bar", filename: "secret.txt" } });
    const content = svc.fileContents(vs.id, f.id, {});
    expect(content.data).toEqual([{ type: "text", text: "The secret string is foobazbar.", embedding: null, chunk_metadata: null, metadata: null }]);
    const rich = svc.fileContents(vs.id, f.id, { embeddings: true, metadata: true });
    expect(rich.data[0]?.embedding).toHaveLength(DIM);
    expect(rich.data[0]?.chunk_metadata?.chunk_embedding_model).toBe(MODEL);
    // Attaching again returns the existing record.
    expect(await svc.attachFile(vs.id, f.id, {}, null)).toEqual(attached);
    expect(svc.retrieveStore(vs.id).file_counts.total).toBe(1);
  });

  it("records failures: unknown file, binary file, unreadable PDF", async () => {
    const vs = await create();
    const missing = await svc.attachFile(vs.id, "invalid_file_id", {}, null);
    expect(missing).toMatchObject({ status: "failed", last_error: { code: "server_error", message: "File 'invalid_file_id' not found. Use 'client.files.list()' to list available Files." } });
    const bin = await svc.attachFile(vs.id, upload("blob.bin", "zz").id, {}, null);
    expect(bin.last_error?.message).toBe("No chunks were generated from the file");
    const pdf = await svc.attachFile(vs.id, upload("doc.pdf", "%PDF-1.4").id, {}, null);
    expect(pdf).toMatchObject({ status: "failed" });
    expect(pdf.last_error?.message).toMatch(/PDF/i);
    expect(svc.retrieveStore(vs.id).file_counts).toMatchObject({ failed: 3, total: 3 });
    expect(svc.listFiles(vs.id, { filter: "failed" }).data).toHaveLength(3);
    svc.deleteFile(vs.id, "invalid_file_id");
    expect(svc.retrieveStore(vs.id).file_counts).toMatchObject({ failed: 2, total: 2 });
  });

  it("attaches file_ids at creation with the auto strategy", async () => {
    const f = upload("a.txt", "alpha");
    const vs = await svc.createStore({ file_ids: [f.id, "invalid"], extra: { embedding_model: MODEL } });
    expect(vs.file_counts).toEqual({ completed: 1, cancelled: 0, failed: 1, in_progress: 0, total: 2 });
    expect(svc.retrieveFile(vs.id, f.id).chunking_strategy).toEqual({ type: "auto" });
  });

  it("updates attributes, deletes chunks with the file, pages files", async () => {
    const vs = await create();
    const ids: string[] = [];
    for (const i of [0, 1, 2]) ids.push((await svc.attachFile(vs.id, upload(`f${i}.txt`, `file number ${i}`).id, {}, null)).id);
    expect(svc.updateFile(vs.id, ids[0]!, { foo: "baz" }).attributes).toEqual({ foo: "baz" });
    expect(svc.retrieveFile(vs.id, ids[0]!).attributes).toEqual({ foo: "baz" });
    const first = svc.listFiles(vs.id, { limit: 2 });
    expect(first).toMatchObject({ has_more: true, first_id: first.data[0]?.id, last_id: first.data[1]?.id });
    expect(svc.listFiles(vs.id, { limit: 2, after: first.last_id }).data).toHaveLength(1);
    svc.deleteFile(vs.id, ids[0]!);
    expect((await svc.search(vs.id, { query: "number 0" })).data.map((r) => r.file_id)).not.toContain(ids[0]);
    expect(() => svc.retrieveFile(vs.id, ids[0]!)).toThrow(`Invalid value: File ${ids[0]} not found in vector store ${vs.id}`);
    expect(svc.fileContents(vs.id, ids[0]!, {}).data).toEqual([]);
  });
});

describe("file batches", () => {
  const settle = async (storeId: string, batchId: string) => {
    for (let i = 0; i < 100; i++) {
      const b = svc.retrieveFileBatch(storeId, batchId);
      if (b.status !== "in_progress") return b;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error("batch did not settle");
  };

  it("processes files in the background and completes", async () => {
    const vs = await create();
    const ids = [upload("a.txt", "alpha").id, upload("b.txt", "beta").id];
    const batch = svc.createFileBatch(vs.id, { file_ids: ids });
    expect(batch).toMatchObject({ object: "vector_store.file_batch", status: "in_progress", file_counts: { in_progress: 2, total: 2 } });
    const done = await settle(vs.id, batch.id);
    expect(done).toMatchObject({ status: "completed", file_counts: { completed: 2, failed: 0, in_progress: 0, total: 2 } });
    const listed = svc.listFileBatchFiles(vs.id, batch.id, {});
    expect(listed.data.map((f) => f.id).sort()).toEqual([...ids].sort());
    expect(listed.data[0]?.chunking_strategy).toEqual({ type: "auto" });
    expect(() => svc.cancelFileBatch(vs.id, batch.id)).toThrow(`Invalid value: Cannot cancel batch ${batch.id} with status completed`);
  });

  it("fails a batch whose files all fail, and cancels one in progress", async () => {
    const vs = await create();
    const failed = svc.createFileBatch(vs.id, { file_ids: ["x1", "x2"] });
    expect(await settle(vs.id, failed.id)).toMatchObject({ status: "failed", file_counts: { failed: 2 } });
    const running = svc.createFileBatch(vs.id, { file_ids: [upload("c.txt", "gamma").id] });
    expect(svc.cancelFileBatch(vs.id, running.id).status).toBe("cancelled");
    await svc.close();
    expect(svc.retrieveFileBatch(vs.id, running.id).status).toBe("cancelled");
  });

  it("embeds nothing for a batch cancelled right after create, however fast the provider is", async () => {
    const vs = await create();
    const batch = svc.createFileBatch(vs.id, { file_ids: [upload("d.txt", "delta").id, upload("e.txt", "epsilon").id] });
    // Event-loop turns pass, as between the create response and the client's cancel.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    const before = embedCalls.length;
    expect(svc.cancelFileBatch(vs.id, batch.id).status).toBe("cancelled");
    await svc.close();
    expect(embedCalls.length).toBe(before);
  });

  it("rejects unknown batches and batches of another store", async () => {
    const vs = await create();
    const other = await create();
    const b = svc.createFileBatch(vs.id, { file_ids: [] });
    expect(() => svc.retrieveFileBatch(vs.id, "nope")).toThrow("Invalid value: File batch nope not found");
    expect(() => svc.retrieveFileBatch(other.id, b.id)).toThrow(`Invalid value: File batch ${b.id} does not belong to vector store ${other.id}`);
  });
});
