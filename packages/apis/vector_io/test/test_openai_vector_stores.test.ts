import { upstreamTest, type UpstreamTestContext } from "@llama-stack-tests/stack";
import { failure, pollUntil, statusOf, untilSecondAfter } from "@llama-stack-tests/test-fixtures";
import type { VectorIoInsertParams } from "llama-stack-client/resources/vector-io";
import { expect } from "vitest";

import { compatFor, type CompatClient, type FileBatch, type FileCounts } from "./compat.js";
import { RELEVANCE_CASES, SEARCH_MODES, sampleChunksWithTopic } from "./data/chunks.js";
import { embeddingModelOf, withEmptyStores } from "./fixtures.js";
import {
  providerCases,
  providerCrossCases,
  requireProviderAndVectorStores,
  requireSearchMode,
  vectorProviderIds,
} from "./providers.js";
import { clientWithModelsAutoId } from "./pytest-auto-id.js";

const file = "tests/integration/vector_io/test_openai_vector_stores.py";
/** compat_client's params, in upstream's order. */
const clients = ["openai_client", "client_with_models"] as const;
const models = ["embedding_model_id", "embedding_dimension"] as const;
const spec = (name: string) => ({ file, name, clients, models, cases: providerCases() });

const DAY = { anchor: "created_at", seconds: 86400 } as const;

type Ctx<P> = UpstreamTestContext<P>;

/**
 * The common frame of a compat test: empty stores around the body (fixture), then the provider
 * wrapper's and the module's support checks, then the body with the variant's client.
 */
function compatTest(name: string, body: (t: Ctx<string>, c: CompatClient) => Promise<void>): void {
  upstreamTest(spec(name), (t) => {
    const c = compatFor(t);
    return withEmptyStores(c, async () => {
      await requireProviderAndVectorStores(t, t.param);
      await body(t, c);
    });
  });
}

/** extra_body most tests send on vector store creation. */
function storeExtra<P>(t: Ctx<P>, provider: string): Record<string, unknown> {
  return { embedding_model: embeddingModelOf(t), provider_id: provider };
}

async function insertSampleChunks<P>(t: Ctx<P>, storeId: string): Promise<void> {
  // Always through llama-stack-client: the OpenAI API has no chunk insertion.
  await t.client.vectorIo.insert({ vector_store_id: storeId, chunks: sampleChunksWithTopic() } as unknown as VectorIoInsertParams);
}

/** A store, named and tagged with its purpose as upstream's search tests do, holding the sample chunks. */
async function storeWithSampleChunks<P>(t: Ctx<P>, c: CompatClient, provider: string, name: string, purpose: string) {
  const store = await c.createStore({ name, metadata: { purpose }, ...storeExtra(t, provider) });
  await insertSampleChunks(t, store.id);
  return store;
}

function expectCounts(counts: FileCounts, expected: Partial<FileCounts>): void {
  for (const [key, value] of Object.entries(expected)) expect(counts[key as keyof FileCounts], `file_counts.${key}`).toBe(value);
}

/** Upstream's wait (once a second, up to a minute) as a poll with the same deadline: until completed or failed. */
function waitForBatch(c: CompatClient, storeId: string, batchId: string): Promise<FileBatch> {
  return pollUntil(() => c.retrieveFileBatch(storeId, batchId), (batch) => ["completed", "failed"].includes(batch.status));
}

async function uploadFiles(c: CompatClient, count: number, text: (i: number) => string, name: (i: number) => string, expires?: typeof DAY) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await c.uploadFile(name(i), text(i), expires)).id);
  return ids;
}

compatTest("test_openai_create_vector_store", async (t, c) => {
  const store = await c.createStore({
    name: "Vs_test_vector_store",
    metadata: { purpose: "testing", environment: "integration" },
    ...storeExtra(t, t.param),
  });
  expect(store.name).toBe("Vs_test_vector_store");
  expect(store.object).toBe("vector_store");
  expect(["completed", "in_progress"]).toContain(store.status);
  expect(store.metadata["purpose"]).toBe("testing");
  expect(store.metadata["environment"]).toBe("integration");
  expect(store).toHaveProperty("id");
  expect(store).toHaveProperty("created_at");
});

// Takes no model fixture itself, so pytest's automatic id of client_with_models' model
// fixtures sits between the client and the provider id.
upstreamTest(
  {
    file,
    name: "test_openai_create_vector_store_default",
    clients,
    cases: vectorProviderIds().map((id) => ({ id: `${clientWithModelsAutoId()}-${id}`, value: id })),
    idOrder: ["client", "cases"],
  },
  (t) => {
    const c = compatFor(t);
    return withEmptyStores(c, async () => {
      await requireProviderAndVectorStores(t, t.param);
      const store = await c.createStore({ provider_id: t.param });
      expect(store.id).toBeTruthy();
    });
  },
);

compatTest("test_openai_list_vector_stores", async (t, c) => {
  const store1 = await c.createStore({ name: "store1", metadata: { type: "test" }, ...storeExtra(t, t.param) });
  const store2 = await c.createStore({ name: "store2", metadata: { type: "test" }, ...storeExtra(t, t.param) });

  const response = await c.listStores();
  expect(response).toHaveProperty("data");
  expect(response.data.length).toBeGreaterThanOrEqual(2);
  const ids = response.data.map((s) => s.id);
  expect(ids).toContain(store1.id);
  expect(ids).toContain(store2.id);

  const limited = await c.listStores({ limit: 1 });
  expect(limited.data).toHaveLength(1);
});

compatTest("test_openai_retrieve_vector_store", async (t, c) => {
  const created = await c.createStore({
    name: "retrieve_test_store",
    metadata: { purpose: "retrieval_test" },
    ...storeExtra(t, t.param),
  });
  const retrieved = await c.retrieveStore(created.id);
  expect(retrieved.id).toBe(created.id);
  expect(retrieved.name).toBe("retrieve_test_store");
  expect(retrieved.metadata["purpose"]).toBe("retrieval_test");
  expect(retrieved.object).toBe("vector_store");
});

compatTest("test_openai_update_vector_store", async (t, c) => {
  const created = await c.createStore({ name: "original_name", metadata: { version: "1.0" }, ...storeExtra(t, t.param) });
  // Upstream waits a second so last_active_at (seconds) must move forward: wait for the next second.
  await untilSecondAfter(created.last_active_at);
  const modified = await c.updateStore(created.id, { name: "modified_name", metadata: { version: "1.1", updated: "true" } });
  expect(modified.id).toBe(created.id);
  expect(modified.name).toBe("modified_name");
  expect(modified.metadata["version"]).toBe("1.1");
  expect(modified.metadata["updated"]).toBe("true");
  expect(modified.last_active_at).toBeGreaterThan(created.last_active_at);
});

compatTest("test_openai_delete_vector_store", async (t, c) => {
  const created = await c.createStore({
    name: "delete_test_store",
    metadata: { purpose: "deletion_test" },
    ...storeExtra(t, t.param),
  });
  const deleted = await c.deleteStore(created.id);
  expect(deleted.id).toBe(created.id);
  expect(deleted.deleted).toBe(true);
  expect(deleted.object).toBe("vector_store.deleted");

  expect(await failure(c.retrieveStore(created.id)), "retrieving a deleted store must fail").toBeDefined();
});

compatTest("test_openai_vector_store_search_empty", async (t, c) => {
  const store = await c.createStore({
    name: "search_test_store",
    metadata: { purpose: "search_testing" },
    ...storeExtra(t, t.param),
  });
  const response = await c.search(store.id, { query: "test query", max_num_results: 5 });
  expect(response).toHaveProperty("data");
  expect(response.data).toHaveLength(0);
  expect(response.search_query).toEqual(["test query"]);
  expect(response.has_more).toBe(false);
});

compatTest("test_openai_vector_store_with_chunks", async (t, c) => {
  const store = await storeWithSampleChunks(t, c, t.param, "chunks_test_store", "chunks_testing");

  const response = await c.search(store.id, { query: "What is Python programming language?", max_num_results: 3 });
  expect(response.data.length).toBeGreaterThan(0);
  const top = response.data[0];
  const topContent = top?.content[0]?.text.toLowerCase() ?? "";
  if (t.can("embeddings_semantics", "top result for a Python question is the Python document (doc1)")) {
    expect(topContent.includes("python") || topContent.includes("programming"), topContent).toBe(true);
    expect(top?.attributes["document_id"]).toBe("doc1");
  }

  const filtered = await c.search(store.id, { query: "artificial intelligence", filters: { topic: "ai" }, max_num_results: 5 });
  for (const result of filtered.data) expect(result.attributes["topic"]).toBe("ai");
});

upstreamTest(
  {
    file,
    name: "test_openai_vector_store_search_relevance",
    clients,
    models,
    cases: providerCrossCases(RELEVANCE_CASES, (_, i) => `test_case${i}`),
  },
  (t) => {
    const c = compatFor(t);
    return withEmptyStores(c, async () => {
      await requireProviderAndVectorStores(t, t.param.provider);
      const { query, expectedDocId, expectedTopic } = t.param.value;
      const store = await storeWithSampleChunks(t, c, t.param.provider, `relevance_test_${expectedDocId}`, "relevance_testing");

      const response = await c.search(store.id, { query, max_num_results: 4 });
      expect(response.data.length).toBeGreaterThan(0);
      const top = response.data[0];
      if (t.can("embeddings_semantics", `top result for '${query}' is ${expectedDocId}`)) {
        expect(top?.attributes["document_id"]).toBe(expectedDocId);
        expect(top?.attributes["topic"]).toBe(expectedTopic);
      }
      expect(typeof top?.score).toBe("number");
      expect(top?.score).toBeGreaterThan(0);
    });
  },
);

compatTest("test_openai_vector_store_search_with_ranking_options", async (t, c) => {
  const store = await storeWithSampleChunks(t, c, t.param, "ranking_test_store", "ranking_testing");

  const query = "machine learning and artificial intelligence";
  const initial = await c.search(store.id, { query, max_num_results: 3 });
  // A threshold below the lowest score, so results remain.
  const threshold = initial.data.length > 0 ? Math.min(...initial.data.map((r) => r.score)) * 0.9 : 0.01;

  const response = await c.search(store.id, { query, max_num_results: 3, ranking_options: { score_threshold: threshold } });
  expect(response.data.length).toBeGreaterThan(0);
  for (const result of response.data) expect(result.score).toBeGreaterThanOrEqual(threshold);
});

compatTest("test_openai_vector_store_search_with_high_score_filter", async (t, c) => {
  const store = await storeWithSampleChunks(t, c, t.param, "high_score_filter_test", "high_score_filtering");

  const query = "Python is a high-level programming language with code readability and fewer lines than C++ or Java";
  let response = await c.search(store.id, { query, max_num_results: 3 });
  expect(response.data.length, "Expected more than one result").toBeGreaterThan(1);
  // Just above the second result's score: only the best result passes.
  const threshold = (response.data[1]?.score ?? Number.NaN) + 0.0001;

  response = await c.search(store.id, { query, max_num_results: 10, ranking_options: { score_threshold: threshold } });
  expect(response.data, "Expected only one result with high threshold").toHaveLength(1);
  const top = response.data[0];
  expect(top?.score).toBeGreaterThanOrEqual(threshold);
  if (t.can("embeddings_semantics", "the only result above the threshold is the Python document (doc1)")) {
    expect(top?.attributes["document_id"]).toBe("doc1");
    expect(top?.attributes["topic"]).toBe("programming");
    const text = top?.content[0]?.text.toLowerCase() ?? "";
    expect(text.includes("python") || text.includes("programming"), text).toBe(true);
  }
});

compatTest("test_openai_vector_store_search_with_max_num_results", async (t, c) => {
  const store = await storeWithSampleChunks(t, c, t.param, "max_num_results_test_store", "max_num_results_testing");
  const response = await c.search(store.id, { query: "machine learning and artificial intelligence", max_num_results: 2 });
  expect(response.data).toHaveLength(2);
});

compatTest("test_openai_vector_store_attach_file", async (t, c) => {
  const store = await c.createStore({ name: "test_store", ...storeExtra(t, t.param) });
  const uploaded = await c.uploadFile("openai_test.txt", "The secret string is foobazbar.", DAY);

  const attached = await c.attachFile(store.id, { file_id: uploaded.id });
  expect(attached.object).toBe("vector_store.file");
  expect(attached.id).toBe(uploaded.id);
  expect(attached.vector_store_id).toBe(store.id);
  expect(attached.status).toBe("completed");
  expect(attached.chunking_strategy.type).toBe("static");
  expect(attached.created_at).toBeGreaterThan(0);
  expect(attached.last_error).toBeFalsy();

  const updated = await c.retrieveStore(store.id);
  expectCounts(updated.file_counts, { completed: 1, total: 1, cancelled: 0, failed: 0, in_progress: 0 });

  // A single chunk in the store: it is the result whatever the embeddings.
  const response = await c.search(store.id, { query: "What is the secret string?", max_num_results: 1 });
  expect(response.data.length).toBeGreaterThan(0);
  expect(response.data[0]?.content[0]?.text.toLowerCase()).toContain("foobazbar");
});

compatTest("test_openai_vector_store_attach_files_on_creation", async (t, c) => {
  const validIds = await uploadFiles(c, 3, (i) => `This is a test file ${i}`, (i) => `openai_test_${i}.txt`, DAY);
  // An invalid id, to see the failed status.
  const failedId = "invalid_file_id";
  const fileIds = [...validIds, failedId];
  const numFailed = fileIds.length - validIds.length;

  const store = await c.createStore({ name: "test_store", file_ids: fileIds, ...storeExtra(t, t.param) });
  expectCounts(store.file_counts, {
    completed: validIds.length,
    total: fileIds.length,
    cancelled: 0,
    failed: numFailed,
    in_progress: 0,
  });

  const files = await c.listStoreFiles(store.id);
  expect(files.data).toHaveLength(fileIds.length);
  expect(new Set(files.data.map((f) => f.id))).toEqual(new Set(fileIds));
  for (const f of files.data) expect(f.status, f.id).toBe(validIds.includes(f.id) ? "completed" : "failed");

  const failedList = await c.listStoreFiles(store.id, { filter: "failed" });
  expect(failedList.data).toHaveLength(numFailed);
  expect(failedList.data[0]?.id).toBe(failedId);

  const deleted = await c.deleteStoreFile(store.id, failedId);
  expect(deleted.id).toBe(failedId);

  const updated = await c.retrieveStore(store.id);
  expectCounts(updated.file_counts, { completed: validIds.length, total: validIds.length, failed: 0 });
});

compatTest("test_openai_vector_store_list_files", async (t, c) => {
  const store = await c.createStore({ name: "test_store", ...storeExtra(t, t.param) });
  const fileIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const uploaded = await c.uploadFile(`openai_test_${i}.txt`, `This is a test file ${i}`, DAY);
    const response = await c.attachFile(store.id, { file_id: uploaded.id });
    expect(response.status, `Failed to attach file ${uploaded.id} to vector store ${store.id}: ${JSON.stringify(response)}`).toBe(
      "completed",
    );
    fileIds.push(uploaded.id);
  }

  const files = await c.listStoreFiles(store.id);
  expect(files.object).toBe("list");
  expect(files.data).toBeTruthy();
  expect(files.has_more).toBeFalsy();
  expect(files.data).toHaveLength(3);
  expect(new Set(files.data.map((f) => f.id))).toEqual(new Set(fileIds));
  const first = files.data[0];
  expect(first?.object).toBe("vector_store.file");
  expect(first?.vector_store_id).toBe(store.id);
  expect(["completed", "in_progress"]).toContain(first?.status);
  expect(first?.chunking_strategy.type).toBe("static");
  expect(first?.created_at).toBeGreaterThan(0);
  expect(files.first_id).toBe(first?.id);
  expect(first?.last_error).toBeFalsy();

  const firstPage = await c.listStoreFiles(store.id, { limit: 2 });
  expect(firstPage.has_more).toBeTruthy();
  expect(firstPage.data).toHaveLength(2);
  expect(firstPage.first_id).toBe(firstPage.data[0]?.id);
  expect(firstPage.last_id).toBe(firstPage.data[firstPage.data.length - 1]?.id);

  const nextPage = await c.listStoreFiles(store.id, { limit: 2, after: firstPage.data[firstPage.data.length - 1]?.id });
  expect(nextPage.has_more).toBeFalsy();
  expect(nextPage.data).toHaveLength(1);

  const updated = await c.retrieveStore(store.id);
  expectCounts(updated.file_counts, { completed: 3, total: 3, cancelled: 0, failed: 0, in_progress: 0 });
});

compatTest("test_openai_vector_store_list_files_invalid_vector_store", async (_t, c) => {
  expect(statusOf(await failure(c.listStoreFiles("abc123")))).toBe(400);
});

compatTest("test_openai_vector_store_retrieve_file_contents", async (t, c) => {
  const store = await c.createStore({ name: "test_store", ...storeExtra(t, t.param) });
  const testContent = "This is a test file";
  const uploaded = await c.uploadFile("openai_test.txt", testContent, DAY);
  const attached = await c.attachFile(store.id, {
    file_id: uploaded.id,
    attributes: { foo: "bar" },
    embedding_model: embeddingModelOf(t),
  });
  expect(attached.status).toBe("completed");

  const contents = await c.storeFileContent(store.id, uploaded.id);
  expect(contents.object).toBe("vector_store.file_content.page");
  expect(contents.data).toHaveLength(1);
  const content = contents.data[0];
  expect(content?.["type"]).toBe("text");
  expect(content?.["text"]).toBe(testContent);
  expect(contents.has_more).toBe(false);
});

compatTest("test_openai_vector_store_delete_file", async (t, c) => {
  const store = await c.createStore({ name: "test_store", ...storeExtra(t, t.param) });
  const fileIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const uploaded = await c.uploadFile(`openai_test_${i}.txt`, `This is a test file ${i}`, DAY);
    await c.attachFile(store.id, { file_id: uploaded.id });
    fileIds.push(uploaded.id);
  }
  expect((await c.listStoreFiles(store.id)).data).toHaveLength(3);

  let deleted = await c.deleteStoreFile(store.id, fileIds[0] ?? "");
  expect(deleted.id).toBe(fileIds[0]);
  expect(deleted.deleted).toBe(true);
  expect(deleted.object).toBe("vector_store.file.deleted");
  expectCounts((await c.retrieveStore(store.id)).file_counts, { completed: 2, total: 2, cancelled: 0, failed: 0, in_progress: 0 });

  deleted = await c.deleteStoreFile(store.id, fileIds[1] ?? "");
  expect(deleted.id).toBe(fileIds[1]);
  expectCounts((await c.retrieveStore(store.id)).file_counts, { completed: 1, total: 1, cancelled: 0, failed: 0, in_progress: 0 });
});

compatTest("test_openai_vector_store_delete_file_removes_from_vector_store", async (t, c) => {
  const store = await c.createStore({ name: "test_store", ...storeExtra(t, t.param) });
  const uploaded = await c.uploadFile("openai_test.txt", "The secret string is foobazbar.", DAY);
  const attached = await c.attachFile(store.id, { file_id: uploaded.id });
  expect(attached.status).toBe("completed");

  let response = await c.search(store.id, { query: "What is the secret string?", max_num_results: 1 });
  expect(response.data[0]?.content[0]?.text.toLowerCase()).toContain("foobazbar");

  await c.deleteStoreFile(store.id, uploaded.id);
  response = await c.search(store.id, { query: "What is the secret string?", max_num_results: 1 });
  expect(response.data).toHaveLength(0);
});

compatTest("test_openai_vector_store_update_file", async (t, c) => {
  const store = await c.createStore({ name: "test_store", ...storeExtra(t, t.param) });
  const uploaded = await c.uploadFile("openai_test.txt", "This is a test file", DAY);
  const attached = await c.attachFile(store.id, { file_id: uploaded.id, attributes: { foo: "bar" } });
  expect(attached.status).toBe("completed");
  expect(attached.attributes["foo"]).toBe("bar");

  const updated = await c.updateStoreFile(store.id, uploaded.id, { foo: "baz" });
  expect(updated.status).toBe("completed");
  expect(updated.attributes["foo"]).toBe("baz");

  const retrieved = await c.retrieveStoreFile(store.id, uploaded.id);
  expect(retrieved.attributes["foo"]).toBe("baz");
});

compatTest("test_create_vector_store_files_duplicate_vector_store_name", async (t, c) => {
  const fileIds = await uploadFiles(c, 3, (i) => `This is a test file ${i}`, (i) => `openai_test_${i}.txt`, DAY);

  const store = await c.createStore({ name: "test_store_with_files", ...storeExtra(t, t.param) });
  expectCounts(store.file_counts, { completed: 0, total: 0, cancelled: 0, failed: 0, in_progress: 0 });

  const store2 = await c.createStore({ name: "test_store_with_files", ...storeExtra(t, t.param) });
  expect((await c.listStores()).data).toHaveLength(2);

  const created = await c.attachFile(store.id, { file_id: fileIds[0], embedding_model: embeddingModelOf(t) });
  expect(created.status).toBe("completed");

  await c.deleteStore(store2.id);
  const createdAfterDelete = await c.attachFile(store.id, { file_id: fileIds[1], embedding_model: embeddingModelOf(t) });
  expect(createdAfterDelete.status).toBe("completed");

  expect((await c.listStores()).data).toHaveLength(1);
});

upstreamTest(
  {
    file,
    name: "test_openai_vector_store_search_modes",
    models,
    cases: providerCrossCases(SEARCH_MODES, (mode) => mode),
  },
  async (t) => {
    const { provider, value: mode } = t.param;
    await requireProviderAndVectorStores(t, provider);
    await requireSearchMode(t, mode);
    const store = await t.client.vectorStores.create({
      name: `search_mode_test_${mode}`,
      metadata: { purpose: "search_mode_testing" },
      ...storeExtra(t, provider),
    });
    await insertSampleChunks(t, store.id);
    const response = await t.client.vectorStores.search(store.id, {
      query: "Python programming language",
      max_num_results: 4,
      search_mode: mode,
    });
    // Upstream only asserts the search answers; the response shape is the least it implies.
    expect(response).toBeTruthy();
    expect(Array.isArray(response.data)).toBe(true);
  },
);

compatTest("test_openai_vector_store_file_batch_create_and_retrieve", async (t, c) => {
  const store = await c.createStore({ name: "batch_test_store", ...storeExtra(t, t.param) });
  const fileIds = await uploadFiles(c, 2, (i) => `This is batch test file ${i}`, (i) => `batch_test_${i}.txt`);

  const batch = await c.createFileBatch(store.id, { file_ids: fileIds, embedding_model: embeddingModelOf(t) });
  expect(batch.object).toBe("vector_store.file_batch");
  expect(batch.vector_store_id).toBe(store.id);
  expect(["in_progress", "completed"]).toContain(batch.status);
  expect(batch.file_counts.total).toBe(fileIds.length);
  expect(batch).toHaveProperty("id");
  expect(batch).toHaveProperty("created_at");

  const retrieved = await waitForBatch(c, store.id, batch.id);
  expect(retrieved.id).toBe(batch.id);
  expect(retrieved.vector_store_id).toBe(store.id);
  expect(retrieved.object).toBe("vector_store.file_batch");
  expect(retrieved.file_counts.total).toBe(fileIds.length);
  expect(retrieved.status).toBe("completed");
});

compatTest("test_openai_vector_store_file_batch_list_files", async (t, c) => {
  const store = await c.createStore({ name: "batch_list_test_store", ...storeExtra(t, t.param) });
  const fileIds = await uploadFiles(c, 2, (i) => `This is batch list test file ${i}`, (i) => `batch_list_test_${i}.txt`);
  const batch = await c.createFileBatch(store.id, { file_ids: fileIds, embedding_model: embeddingModelOf(t) });
  await waitForBatch(c, store.id, batch.id);

  const files = await c.listFileBatchFiles(store.id, batch.id);
  expect(files.object).toBe("list");
  expect(files).toHaveProperty("data");
  expect(files.data).toHaveLength(fileIds.length);
  expect(new Set(files.data.map((f) => f.id))).toEqual(new Set(fileIds));

  const limited = await c.listFileBatchFiles(store.id, batch.id, { limit: 3 });
  expect(limited.data).toHaveLength(2);
  expect(limited.has_more).toBe(false);

  const firstPage = await c.listFileBatchFiles(store.id, batch.id, { limit: 2 });
  const secondPage = await c.listFileBatchFiles(store.id, batch.id, {
    limit: 2,
    after: firstPage.data[firstPage.data.length - 1]?.id,
  });
  expect(firstPage.data).toHaveLength(2);
  expect(secondPage.data.length).toBeLessThanOrEqual(3);
  const firstIds = new Set(firstPage.data.map((f) => f.id));
  for (const f of secondPage.data) expect(firstIds.has(f.id), `${f.id} on both pages`).toBe(false);
});

compatTest("test_openai_vector_store_file_batch_cancel", async (t, c) => {
  const store = await c.createStore({ name: "batch_cancel_test_store", ...storeExtra(t, t.param) });
  const fileIds = await uploadFiles(
    c,
    2,
    (i) => `This is batch cancel test file ${i} with substantial content`,
    (i) => `batch_cancel_test_${i}.txt`,
  );
  const batch = await c.createFileBatch(store.id, { file_ids: fileIds, embedding_model: embeddingModelOf(t) });

  let cancelled: FileBatch | undefined;
  try {
    cancelled = await c.cancelFileBatch(store.id, batch.id);
  } catch {
    // Cancelling fails when the batch already finished; then it must have completed (or been cancelled).
    const finalBatch = await c.retrieveFileBatch(store.id, batch.id);
    expect(["completed", "cancelled"]).toContain(finalBatch.status);
    return;
  }
  expect(cancelled.id).toBe(batch.id);
  expect(cancelled.vector_store_id).toBe(store.id);
  expect(cancelled.status).toBe("cancelled");
  expect(cancelled.object).toBe("vector_store.file_batch");
});

compatTest("test_openai_vector_store_file_batch_retrieve_contents", async (t, c) => {
  const store = await c.createStore({ name: "batch_contents_test_store", ...storeExtra(t, t.param) });
  const fileData = [
    { name: "test_file_1.txt", text: "This is the content of test file 1" },
    { name: "test_file_2.txt", text: "This is the content of test file 2" },
  ];
  const fileIds: string[] = [];
  for (const f of fileData) fileIds.push((await c.uploadFile(f.name, f.text)).id);

  const batch = await c.createFileBatch(store.id, { file_ids: fileIds, embedding_model: embeddingModelOf(t) });
  expect((await waitForBatch(c, store.id, batch.id)).status).toBe("completed");

  for (const [i, fileId] of fileIds.entries()) {
    const contents = await c.storeFileContent(store.id, fileId);
    expect(contents.object).toBe("vector_store.file_content.page");
    expect(contents.data.length).toBeGreaterThan(0);
    expect(String(contents.data[0]?.["text"])).toContain(fileData[i]?.text);
  }
});

compatTest("test_openai_vector_store_file_batch_error_handling", async (t, c) => {
  const store = await c.createStore({ name: "batch_error_test_store", ...storeExtra(t, t.param) });
  const fileIds = ["invalid_file_id_1", "invalid_file_id_2"];
  const batch = await c.createFileBatch(store.id, { file_ids: fileIds, embedding_model: embeddingModelOf(t) });
  expect(batch.file_counts.total).toBe(fileIds.length);
  expect(batch.file_counts.failed).toBeGreaterThanOrEqual(0);

  expect(statusOf(await failure(c.retrieveFileBatch(store.id, "non_existent_batch_id")))).toBe(400);
  expect(statusOf(await failure(c.createFileBatch("non_existent_vector_store", { file_ids: ["any_file_id"] })))).toBe(400);
});

compatTest("test_openai_vector_store_embedding_config_from_metadata", async (t, c) => {
  const embeddingModel = embeddingModelOf(t);
  const dimension = t.models.embeddingDimension;

  const fromMetadata = await c.createStore({
    name: "metadata_config_store",
    metadata: { embedding_model: embeddingModel, embedding_dimension: String(dimension), test_source: "metadata" },
    provider_id: t.param,
  });
  expect(fromMetadata.name).toBe("metadata_config_store");
  expect(["completed", "in_progress"]).toContain(fromMetadata.status);
  expect(fromMetadata.metadata["test_source"]).toBe("metadata");

  const consistent = await c.createStore({
    name: "consistent_config_store",
    metadata: { embedding_model: embeddingModel, embedding_dimension: String(dimension), test_source: "consistent" },
    embedding_model: embeddingModel,
    embedding_dimension: dimension,
    provider_id: t.param,
  });
  expect(consistent.name).toBe("consistent_config_store");
  expect(["completed", "in_progress"]).toContain(consistent.status);
  expect(consistent.metadata["test_source"]).toBe("consistent");

  const names = (await c.listStores()).data.map((s) => s.name);
  expect(names).toContain("metadata_config_store");
  expect(names).toContain("consistent_config_store");
});

compatTest("test_openai_vector_store_file_contents_with_extra_query", async (t, c) => {
  const store = await c.createStore({ name: "test_extra_query_store", ...storeExtra(t, t.param) });
  const testContent = "This is test content for extra_query validation.";
  const uploaded = await c.uploadFile("test_extra_query.txt", testContent, DAY);
  const attached = await c.attachFile(store.id, { file_id: uploaded.id, embedding_model: embeddingModelOf(t) });
  expect(attached.status).toBe("completed");

  // Upstream waits (2 s) for processing before reading the content: wait until the file is processed.
  await pollUntil(() => c.retrieveStoreFile(store.id, uploaded.id), (f) => f.status !== "in_progress");

  const withFlags = await c.storeFileContent(store.id, uploaded.id, { include_embeddings: true, include_metadata: true });
  const withoutFlags = await c.storeFileContent(store.id, uploaded.id);
  expect(withFlags.data.length).toBeGreaterThan(0);
  expect(withoutFlags.data.length).toBeGreaterThan(0);

  const first = withFlags.data[0] ?? {};
  const firstPlain = withoutFlags.data[0] ?? {};
  // The fields are present in both answers (null when not requested).
  for (const field of ["embedding", "chunk_metadata", "metadata", "text"]) {
    expect(first, `Field '${field}' missing from response with extra_query`).toHaveProperty(field);
    expect(firstPlain, `Field '${field}' missing from response without extra_query`).toHaveProperty(field);
  }
  expect(first["text"]).toBe(testContent);
  expect(firstPlain["text"]).toBe(testContent);

  const embedding = first["embedding"];
  expect(embedding, "Embeddings should be included when include_embeddings=True").not.toBeNull();
  expect(Array.isArray(embedding) && embedding.length > 0, "Embedding should be a non-empty list").toBe(true);
  expect(firstPlain["embedding"] ?? null, "Embeddings should not be included when include_embeddings=False").toBeNull();
});
