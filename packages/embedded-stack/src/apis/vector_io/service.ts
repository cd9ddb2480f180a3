import { randomUUID } from "node:crypto";
import { pickupAfter } from "../../server/pickup.js";
import type { Database } from "better-sqlite3";
import { InvalidValueError, NotImplementedError, ResourceNotFoundError } from "../files/errors.js";
import type { FilesStore, IdMinter } from "../files/store.js";
import { makeOverlappedChunks } from "./chunking.js";
import { guessMimeType, textFromFile } from "./file-text.js";
import { matchesFilters } from "./filters.js";
import { paginateByCursor } from "./pagination.js";
import { type StoredStoreFile, VectorStoreRepository } from "./repository.js";
import { DEFAULT_RERANKER, rerankerFromParams } from "./rerank.js";
import { SqliteChunkIndex } from "./sqlite-index.js";
import {
  type Chunk,
  type ChunkContent,
  type ChunkingStrategy,
  DEFAULT_STATIC_CHUNKING,
  type FileCounts,
  type FileStatus,
  type ListPage,
  type QueryChunksResponse,
  type StoredFileBatch,
  type StoredVectorStore,
  type VectorStoreContent,
  type VectorStoreFileBatchObject,
  type VectorStoreFileObject,
  type VectorStoreObject,
  type VectorStoreSearchPage,
} from "./types.js";

/** Vector index providers the embedded stack can stand in for; both are backed by SQLite here. */
export type VectorIoProviderType = "inline::sqlite-vec" | "inline::faiss";

export interface VectorIoProvider {
  provider_id: string;
  provider_type: VectorIoProviderType;
}

export interface ModelInfo {
  identifier: string;
  model_type: string;
  metadata: Record<string, unknown>;
}

export interface VectorIoDeps {
  db: Database;
  files: FilesStore;
  /** Embeds `input` with `model` through the inference router; one vector per input. */
  embed(model: string, input: string[]): Promise<number[][]>;
  lookupModel(id: string): Promise<ModelInfo | undefined>;
  providers: VectorIoProvider[];
  defaultProviderId?: string;
  /** "provider_id/model_id" used when a store is created without an embedding model. */
  defaultEmbeddingModel?: string;
  mintId?: IdMinter;
  now?: () => number;
}

export interface CreateStoreParams {
  name?: string | null;
  file_ids?: string[] | null;
  expires_after?: Record<string, unknown> | null;
  chunking_strategy?: ChunkingStrategy | null;
  metadata?: Record<string, unknown> | null;
  /** Llama Stack extra_body keys: embedding_model, embedding_dimension, provider_id. */
  extra?: Record<string, unknown>;
}

export interface ListParams {
  limit?: number | null;
  order?: string | null;
  after?: string | null;
  before?: string | null;
}

export interface SearchParams {
  query: string | string[];
  filters?: Record<string, unknown> | null;
  max_num_results?: number | null;
  ranking_options?: { ranker?: string | null; score_threshold?: number | null } | null;
  rewrite_query?: boolean | null;
  search_mode?: string | null;
}

export interface QueryParams {
  max_chunks?: number;
  mode?: string;
  score_threshold?: number;
  ranker?: unknown;
}

/** Upstream embeds this many candidates per requested search result before filtering. */
const CHUNK_MULTIPLIER = 5;
const FILE_BATCH_TTL_SECONDS = 7 * 24 * 60 * 60;
const FILE_BATCH_CHUNK_SIZE = 10;
/**
 * A new file batch waits this long (see pickupAfter), or until a client retrieves it or lists its files:
 * a cancel right after create stops it before any embedding, even when the cancel is slow to arrive
 * (a loaded machine, a pool of stacks in one process).
 */
const FILE_BATCH_PICKUP_DELAY_MS = 1_000;

interface BatchRun {
  cancelled: boolean;
  /** Ends the pickup wait early. */
  wake: () => void;
  done: Promise<void>;
}
const EMPTY_COUNTS: FileCounts = { completed: 0, cancelled: 0, failed: 0, in_progress: 0, total: 0 };

/**
 * Vector stores (OpenAI API) and vector-io (chunk insert/query), ported from upstream's
 * vector-io router, routing table and OpenAI vector store mixin with an SQLite index.
 */
export class VectorIoService {
  private readonly repo: VectorStoreRepository;
  private readonly mintId: IdMinter;
  private readonly now: () => number;
  /** Running file batches, so they can be cancelled and awaited on shutdown. */
  private readonly batchRuns = new Map<string, BatchRun>();

  constructor(private readonly deps: VectorIoDeps) {
    this.repo = new VectorStoreRepository(deps.db);
    this.mintId = deps.mintId ?? ((_kind, fallback) => fallback());
    this.now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  }

  /** Stops file batches from starting more work and waits for the ones in flight. */
  async close(): Promise<void> {
    for (const run of this.batchRuns.values()) {
      run.cancelled = true;
      run.wake();
    }
    await Promise.all([...this.batchRuns.values()].map((r) => r.done));
  }

  // ---- vector stores ----

  async createStore(params: CreateStoreParams): Promise<VectorStoreObject> {
    const extra = params.extra ?? {};
    const metadata = { ...(params.metadata ?? {}) };
    let embeddingModel = optionalString(extra.embedding_model) ?? this.deps.defaultEmbeddingModel;
    let embeddingDimension = optionalNumber(extra.embedding_dimension);
    let providerId = optionalString(extra.provider_id);

    if (embeddingModel !== undefined && embeddingDimension === undefined) {
      embeddingDimension = await this.embeddingDimensionOf(embeddingModel);
    }
    if (embeddingModel !== undefined) {
      const model = await this.deps.lookupModel(embeddingModel);
      if (!model) throw new ResourceNotFoundError(embeddingModel, "Model", "client.models.list()");
      if (model.model_type !== "embedding") {
        throw new InvalidValueError(
          `Model '${embeddingModel}' is of type '${model.model_type}' rather than the expected type 'embedding'`,
        );
      }
    }
    providerId ??= this.defaultProvider();
    if (embeddingModel === undefined) {
      throw new ResourceNotFoundError("None", "Model", "client.models.list()");
    }
    if (!this.deps.providers.some((p) => p.provider_id === providerId)) {
      throw new InvalidValueError(`Provider \`${providerId}\` not found`);
    }
    // Embedding settings in metadata take precedence over extra_body (upstream's provider rule).
    if (typeof metadata.embedding_model === "string" && metadata.embedding_model) {
      embeddingModel = metadata.embedding_model;
      embeddingDimension = metadata.embedding_dimension ? Number(metadata.embedding_dimension) : 768;
    }
    if (embeddingDimension === undefined || !Number.isFinite(embeddingDimension)) {
      throw new InvalidValueError("Embedding dimension is required");
    }

    const id = this.mintId("vector_store", () => `vs_${randomUUID()}`);
    const createdAt = this.now();
    const strategy: ChunkingStrategy =
      params.chunking_strategy && params.chunking_strategy.type === "static"
        ? params.chunking_strategy
        : { type: "static", static: { ...DEFAULT_STATIC_CHUNKING } };
    metadata.provider_id = providerId;
    metadata.provider_vector_store_id = id;
    const store: StoredVectorStore = {
      id,
      object: "vector_store",
      created_at: createdAt,
      name: params.name ?? null,
      usage_bytes: 0,
      file_counts: { ...EMPTY_COUNTS },
      status: "completed",
      expires_after: params.expires_after ?? null,
      expires_at: null,
      last_active_at: createdAt,
      metadata,
      file_ids: [],
      chunking_strategy: strategy,
      embedding_model: embeddingModel,
      embedding_dimension: embeddingDimension,
      provider_id: providerId,
    };
    new SqliteChunkIndex(this.deps.db, id).create();
    this.repo.saveStore(store);
    // Files given at creation are attached with the "auto" strategy, as upstream does.
    for (const fileId of params.file_ids ?? []) {
      await this.attachFile(id, fileId, {}, { type: "auto" });
    }
    return toWire(this.requireStore(id));
  }

  listStores(params: ListParams): ListPage<VectorStoreObject> {
    const stores = sortByCreatedAt(this.repo.allStores(), params.order);
    return paginateByCursor(stores.map(toWire), params.limit ?? 20, params.after, params.before);
  }

  retrieveStore(id: string): VectorStoreObject {
    return toWire(this.requireStore(id));
  }

  updateStore(
    id: string,
    update: { name?: string | null; expires_after?: Record<string, unknown> | null; metadata?: Record<string, unknown> | null },
  ): VectorStoreObject {
    const store = this.requireStore(id);
    if (update.metadata && "provider_id" in update.metadata && update.metadata.provider_id !== store.provider_id) {
      throw new InvalidValueError("provider_id cannot be changed after vector store creation");
    }
    if (update.name !== undefined && update.name !== null) store.name = update.name;
    if (update.expires_after !== undefined && update.expires_after !== null) store.expires_after = update.expires_after;
    if (update.metadata !== undefined && update.metadata !== null) store.metadata = update.metadata;
    store.last_active_at = this.now();
    this.repo.saveStore(store);
    return toWire(store);
  }

  deleteStore(id: string): { id: string; object: "vector_store.deleted"; deleted: true } {
    this.requireStore(id);
    this.repo.deleteStore(id);
    new SqliteChunkIndex(this.deps.db, id).drop();
    return { id, object: "vector_store.deleted", deleted: true };
  }

  // ---- search and vector-io ----

  async search(storeId: string, params: SearchParams): Promise<VectorStoreSearchPage> {
    const mode = params.search_mode === undefined ? "vector" : params.search_mode;
    if (mode !== "keyword" && mode !== "vector" && mode !== "hybrid") {
      throw new InvalidValueError(
        `search_mode must be one of {'keyword', 'vector', 'hybrid'}, got ${mode === null ? "None" : mode}`,
      );
    }
    this.requireStore(storeId);
    const searchQuery = Array.isArray(params.query) ? params.query : [params.query];
    const maxResults = params.max_num_results || 10;
    const page: VectorStoreSearchPage = {
      object: "vector_store.search_results.page",
      search_query: searchQuery,
      data: [],
      has_more: false,
      next_page: null,
    };
    try {
      const response = await this.queryChunks(storeId, searchQuery.join(" "), {
        max_chunks: maxResults * CHUNK_MULTIPLIER,
        score_threshold: params.ranking_options?.score_threshold ?? 0,
        mode,
      });
      for (const [i, chunk] of response.chunks.entries()) {
        if (params.filters && !matchesFilters(chunk.metadata, params.filters)) continue;
        page.data.push({
          file_id: stringOr(chunk.metadata.document_id, ""),
          filename: stringOr(chunk.metadata.filename, ""),
          score: response.scores[i] ?? 0,
          attributes: chunk.metadata,
          content: contentItems(chunk, false, false),
        });
        if (page.data.length >= maxResults) break;
      }
    } catch {
      // Upstream answers any search failure (bad filter, keyword syntax, embedding error) with no results.
      page.data = [];
    }
    return page;
  }

  async insertChunks(storeId: string, chunks: Chunk[]): Promise<void> {
    const store = this.requireStore(storeId);
    const toEmbed: Chunk[] = [];
    for (const [i, chunk] of chunks.entries()) {
      if (typeof chunk.content !== "string") {
        throw new InvalidValueError(
          `Chunk at index ${i} has non-text content; the SQLite vector index stores text chunks only (send content as a string)`,
        );
      }
      if (chunk.embedding === null || chunk.embedding === undefined) {
        toEmbed.push(chunk);
        if (chunk.chunk_metadata) {
          chunk.chunk_metadata.chunk_embedding_model = store.embedding_model;
          chunk.chunk_metadata.chunk_embedding_dimension = store.embedding_dimension;
        }
      } else if (chunk.embedding.length !== store.embedding_dimension) {
        throw new InvalidValueError(
          `Embedding at index ${i} has dimension ${chunk.embedding.length}, expected ${store.embedding_dimension}`,
        );
      }
    }
    if (toEmbed.length > 0) {
      const vectors = await this.embed(store, toEmbed.map((c) => c.content as string));
      toEmbed.forEach((c, i) => {
        c.embedding = vectors[i] ?? null;
      });
    }
    new SqliteChunkIndex(this.deps.db, storeId).add(chunks);
  }

  async queryChunks(storeId: string, query: ChunkContent, params: QueryParams = {}): Promise<QueryChunksResponse> {
    const store = this.requireStore(storeId);
    const k = params.max_chunks ?? 3;
    const threshold = params.score_threshold ?? 0;
    const text = contentAsString(query);
    const index = new SqliteChunkIndex(this.deps.db, storeId);
    const faiss = this.providerType(store) === "inline::faiss";
    if (params.mode === "keyword") {
      if (faiss) {
        throw new NotImplementedError(
          "Keyword search is not supported - underlying DB FAISS does not support this search mode",
        );
      }
      return this.keyword(index, text, k, threshold);
    }
    if (params.mode === "hybrid" && faiss) {
      throw new NotImplementedError("Hybrid search is not supported - underlying DB FAISS does not support this search mode");
    }
    const [vector] = await this.embed(store, [text]);
    if (!vector) throw new InvalidValueError(`embedding model '${store.embedding_model}' returned no embedding`);
    if (params.mode === "hybrid") {
      const reranker = params.ranker === undefined ? DEFAULT_RERANKER : rerankerFromParams(params.ranker);
      return this.guardKeyword(() => index.queryHybrid(vector, text, k, threshold, reranker));
    }
    return index.queryVector(vector, k, threshold, faiss ? "squared-l2" : "l2");
  }

  // ---- files in a store ----

  async attachFile(
    storeId: string,
    fileId: string,
    attributes: Record<string, unknown> | null | undefined,
    chunkingStrategy: ChunkingStrategy | null | undefined,
  ): Promise<VectorStoreFileObject> {
    const store = this.requireStore(storeId);
    if (store.file_ids.includes(fileId)) {
      const existing = this.repo.getFile(storeId, fileId);
      if (existing) return existing.file;
    }
    const attrs = attributes ?? {};
    const strategy: ChunkingStrategy = chunkingStrategy ?? { type: "auto" };
    const config = strategy.type === "static" ? strategy.static : DEFAULT_STATIC_CHUNKING;
    const file: VectorStoreFileObject = {
      id: fileId,
      object: "vector_store.file",
      attributes: sanitizeAttributes(attrs),
      chunking_strategy: strategy,
      created_at: this.now(),
      last_error: null,
      status: "in_progress",
      usage_bytes: 0,
      vector_store_id: storeId,
    };
    let filename = "";
    let chunks: Chunk[] = [];
    try {
      const { file: meta, content } = this.deps.files.content(fileId);
      filename = meta.filename;
      const text = await textFromFile(content, guessMimeType(meta.filename));
      chunks = await makeOverlappedChunks(
        fileId,
        text,
        config.max_chunk_size_tokens,
        config.chunk_overlap_tokens,
        { ...attrs, filename: meta.filename },
        this.now(),
      );
      if (chunks.length === 0) {
        file.status = "failed";
        file.last_error = { code: "server_error", message: "No chunks were generated from the file" };
      } else {
        await this.insertChunks(storeId, chunks);
        file.status = "completed";
      }
    } catch (err) {
      file.status = "failed";
      file.last_error = { code: "server_error", message: err instanceof Error ? err.message : String(err) };
    }
    // Re-read: the store may have changed (or gone) while chunks were embedded.
    const current = this.repo.getStore(storeId);
    if (!current) return file;
    this.repo.saveFile(storeId, { file, filename, chunks });
    if (!current.file_ids.includes(fileId)) {
      current.file_ids.push(fileId);
      current.file_counts.total += 1;
      current.file_counts[file.status] += 1;
      this.repo.saveStore(current);
    }
    return file;
  }

  listFiles(storeId: string, params: ListParams & { filter?: FileStatus | null }): ListPage<VectorStoreFileObject> {
    const store = this.requireStore(storeId);
    const files = this.filesOf(store, params.filter ?? undefined);
    return paginateByCursor(sortByCreatedAt(files, params.order), params.limit ?? 20, params.after, params.before);
  }

  retrieveFile(storeId: string, fileId: string): VectorStoreFileObject {
    return this.requireStoreFile(storeId, fileId).file;
  }

  fileContents(
    storeId: string,
    fileId: string,
    include: { embeddings?: boolean; metadata?: boolean },
  ): { object: "vector_store.file_content.page"; data: VectorStoreContent[]; has_more: false; next_page: null } {
    this.requireStore(storeId);
    // Like upstream, a file that is not in the store has no content rather than being an error.
    const chunks = this.repo.getFile(storeId, fileId)?.chunks ?? [];
    return {
      object: "vector_store.file_content.page",
      data: chunks.flatMap((c) => contentItems(c, include.embeddings ?? false, include.metadata ?? false)),
      has_more: false,
      next_page: null,
    };
  }

  updateFile(storeId: string, fileId: string, attributes: Record<string, unknown>): VectorStoreFileObject {
    const entry = this.requireStoreFile(storeId, fileId);
    entry.file.attributes = sanitizeAttributes(attributes);
    this.repo.saveFile(storeId, entry);
    return entry.file;
  }

  deleteFile(storeId: string, fileId: string): { id: string; object: "vector_store.file.deleted"; deleted: true } {
    const entry = this.requireStoreFile(storeId, fileId);
    new SqliteChunkIndex(this.deps.db, storeId).delete(entry.chunks.map((c) => c.chunk_id));
    this.repo.deleteFile(storeId, fileId);
    const store = this.requireStore(storeId);
    store.file_ids = store.file_ids.filter((id) => id !== fileId);
    store.file_counts[entry.file.status] -= 1;
    store.file_counts.total -= 1;
    this.repo.saveStore(store);
    return { id: fileId, object: "vector_store.file.deleted", deleted: true };
  }

  // ---- file batches ----

  createFileBatch(
    storeId: string,
    params: { file_ids: string[]; attributes?: Record<string, unknown> | null; chunking_strategy?: ChunkingStrategy | null },
  ): VectorStoreFileBatchObject {
    this.requireStore(storeId);
    const createdAt = this.now();
    const batch: StoredFileBatch = {
      id: this.mintId("vector_store_file_batch", () => `batch_${randomUUID()}`),
      object: "vector_store.file_batch",
      created_at: createdAt,
      vector_store_id: storeId,
      status: "in_progress",
      file_counts: { ...EMPTY_COUNTS, in_progress: params.file_ids.length, total: params.file_ids.length },
      file_ids: params.file_ids,
      attributes: params.attributes ?? null,
      chunking_strategy: params.chunking_strategy ?? { type: "auto" },
      expires_at: createdAt + FILE_BATCH_TTL_SECONDS,
    };
    this.repo.saveBatch(batch);
    const wire = batchToWire(batch);
    const pickup = pickupAfter(FILE_BATCH_PICKUP_DELAY_MS);
    const run: BatchRun = { cancelled: false, wake: pickup.wake, done: Promise.resolve() };
    run.done = pickup.ready.then(() => this.processBatch(batch, run)).finally(() => this.batchRuns.delete(batch.id));
    this.batchRuns.set(batch.id, run);
    return wire;
  }

  retrieveFileBatch(storeId: string, batchId: string): VectorStoreFileBatchObject {
    this.batchRuns.get(batchId)?.wake();
    return batchToWire(this.requireBatch(storeId, batchId));
  }

  listFileBatchFiles(
    storeId: string,
    batchId: string,
    params: ListParams & { filter?: string | null },
  ): ListPage<VectorStoreFileObject> {
    this.batchRuns.get(batchId)?.wake();
    const batch = this.requireBatch(storeId, batchId);
    const files = batch.file_ids
      .map((id) => this.repo.getFile(storeId, id)?.file)
      .filter((f): f is VectorStoreFileObject => f !== undefined && (!params.filter || f.status === params.filter));
    const limit = Math.min(params.limit || 20, 100);
    return paginateByCursor(sortByCreatedAt(files, params.order), limit, params.after, params.before, "window");
  }

  cancelFileBatch(storeId: string, batchId: string): VectorStoreFileBatchObject {
    const batch = this.requireBatch(storeId, batchId);
    if (batch.status !== "in_progress") {
      throw new InvalidValueError(`Cannot cancel batch ${batchId} with status ${batch.status}`);
    }
    const run = this.batchRuns.get(batchId);
    if (run) {
      run.cancelled = true;
      run.wake();
    }
    batch.status = "cancelled";
    this.repo.saveBatch(batch);
    return batchToWire(batch);
  }

  // ---- internals ----

  private async processBatch(batch: StoredFileBatch, run: { cancelled: boolean }): Promise<void> {
    // Files run one at a time (upstream runs three at once) so provider traffic is deterministic.
    for (let start = 0; start < batch.file_ids.length; start += FILE_BATCH_CHUNK_SIZE) {
      const results: boolean[] = [];
      for (const fileId of batch.file_ids.slice(start, start + FILE_BATCH_CHUNK_SIZE)) {
        if (run.cancelled) return;
        try {
          const file = await this.attachFile(batch.vector_store_id, fileId, batch.attributes, batch.chunking_strategy);
          results.push(file.status === "completed");
        } catch {
          results.push(false);
        }
      }
      if (run.cancelled) return;
      for (const ok of results) {
        batch.file_counts[ok ? "completed" : "failed"] += 1;
        batch.file_counts.in_progress -= 1;
      }
      this.repo.saveBatch(batch);
    }
    if (run.cancelled) return;
    const { failed, completed } = batch.file_counts;
    batch.status = failed > 0 && completed === 0 ? "failed" : "completed";
    this.repo.saveBatch(batch);
  }

  private keyword(index: SqliteChunkIndex, text: string, k: number, threshold: number): QueryChunksResponse {
    return this.guardKeyword(() => index.queryKeyword(text, k, threshold));
  }

  /** FTS5 rejects some query text (e.g. a bare "?"); say so instead of failing with a 500. */
  private guardKeyword(run: () => QueryChunksResponse): QueryChunksResponse {
    try {
      return run();
    } catch (err) {
      if (err instanceof Error && /fts5/i.test(err.message)) {
        throw new InvalidValueError(`keyword query is not valid SQLite FTS5 syntax (${err.message}); quote or drop punctuation`);
      }
      throw err;
    }
  }

  private async embed(store: StoredVectorStore, input: string[]): Promise<number[][]> {
    const vectors = await this.deps.embed(store.embedding_model, input);
    for (const v of vectors) {
      if (v.length !== store.embedding_dimension) {
        throw new InvalidValueError(
          `embedding model '${store.embedding_model}' returned ${v.length}-dimensional vectors but vector store ` +
            `'${store.id}' expects ${store.embedding_dimension}; create the store with embedding_dimension ${v.length}`,
        );
      }
    }
    return vectors;
  }

  private async embeddingDimensionOf(modelId: string): Promise<number> {
    const model = await this.deps.lookupModel(modelId);
    if (!model || model.model_type !== "embedding") {
      throw new InvalidValueError(`Embedding model '${modelId}' not found or not an embedding model`);
    }
    const dim = model.metadata.embedding_dimension;
    if (dim === undefined || dim === null) {
      throw new InvalidValueError(`Embedding model '${modelId}' has no embedding_dimension in metadata`);
    }
    return Number(dim);
  }

  private defaultProvider(): string {
    const ids = this.deps.providers.map((p) => p.provider_id);
    if (ids.length === 0) throw new InvalidValueError("No vector_io providers available");
    if (ids.length === 1) return ids[0] as string;
    const preferred = this.deps.defaultProviderId;
    if (preferred === undefined) {
      throw new InvalidValueError(
        `Multiple vector_io providers available. Please specify provider_id in extra_body. Available providers: ${pyList(ids)}`,
      );
    }
    if (!ids.includes(preferred)) {
      throw new InvalidValueError(
        `Configured default vector store provider '${preferred}' not found. Available providers: ${pyList(ids)}`,
      );
    }
    return preferred;
  }

  private providerType(store: StoredVectorStore): VectorIoProviderType {
    return this.deps.providers.find((p) => p.provider_id === store.provider_id)?.provider_type ?? "inline::sqlite-vec";
  }

  /** An unknown store is a 400 upstream: the routing table's access check finds no such object. */
  private requireStore(id: string): StoredVectorStore {
    const store = this.repo.getStore(id);
    if (store) return store;
    throw new InvalidValueError(`Vector_store '${id}' not found`);
  }

  private requireStoreFile(storeId: string, fileId: string): StoredStoreFile {
    const store = this.requireStore(storeId);
    const entry = store.file_ids.includes(fileId) ? this.repo.getFile(storeId, fileId) : undefined;
    if (!entry) throw new InvalidValueError(`File ${fileId} not found in vector store ${storeId}`);
    return entry;
  }

  private requireBatch(storeId: string, batchId: string): StoredFileBatch {
    this.requireStore(storeId);
    const batch = this.repo.getBatch(batchId);
    if (!batch) throw new InvalidValueError(`File batch ${batchId} not found`);
    if (this.now() > batch.expires_at) {
      throw new InvalidValueError(`File batch ${batchId} has expired after 7 days from creation`);
    }
    if (batch.vector_store_id !== storeId) {
      throw new InvalidValueError(`File batch ${batchId} does not belong to vector store ${storeId}`);
    }
    return batch;
  }

  private filesOf(store: StoredVectorStore, filter: FileStatus | undefined): VectorStoreFileObject[] {
    return store.file_ids
      .map((id) => this.repo.getFile(store.id, id)?.file)
      .filter((f): f is VectorStoreFileObject => f !== undefined && (!filter || f.status === filter));
  }
}

function toWire(store: StoredVectorStore): VectorStoreObject {
  return {
    id: store.id,
    object: "vector_store",
    created_at: store.created_at,
    name: store.name,
    usage_bytes: store.usage_bytes,
    file_counts: store.file_counts,
    status: store.status,
    expires_after: store.expires_after,
    expires_at: store.expires_at,
    last_active_at: store.last_active_at,
    metadata: store.metadata,
  };
}

function batchToWire(batch: StoredFileBatch): VectorStoreFileBatchObject {
  return {
    id: batch.id,
    object: "vector_store.file_batch",
    created_at: batch.created_at,
    vector_store_id: batch.vector_store_id,
    status: batch.status,
    file_counts: { ...batch.file_counts },
  };
}

/** Sort by created_at; equal timestamps keep insertion order in both directions (a stable sort). */
function sortByCreatedAt<T extends { created_at: number }>(items: T[], order: string | null | undefined): T[] {
  const desc = (order ?? "desc") === "desc";
  return [...items].sort((a, b) => (desc ? b.created_at - a.created_at : a.created_at - b.created_at));
}

/** Text items of a chunk as vector store content; non-text items are skipped. */
function contentItems(chunk: Chunk, withEmbeddings: boolean, withMetadata: boolean): VectorStoreContent[] {
  const item = (text: string): VectorStoreContent => ({
    type: "text",
    text,
    embedding: withEmbeddings ? chunk.embedding : null,
    chunk_metadata: withMetadata ? chunk.chunk_metadata : null,
    metadata: withMetadata ? chunk.metadata : null,
  });
  const c = chunk.content;
  if (typeof c === "string") return [item(c)];
  const items = Array.isArray(c) ? c : [c];
  return items.flatMap((i) => (i.type === "text" ? [item(i.text)] : []));
}

/** Upstream's interleaved_content_as_str: images become "<image>", lists are joined by spaces. */
function contentAsString(content: ChunkContent): string {
  if (typeof content === "string") return content;
  const one = (i: { type: string; text?: string }) => (i.type === "text" ? (i.text ?? "") : "<image>");
  return Array.isArray(content) ? content.map(one).join(" ") : one(content);
}

/**
 * File attributes as the OpenAI schema allows them: at most 16 keys of at most 64 characters,
 * strings cut to 512 characters, numbers and booleans kept, lists joined with ", ", others dropped.
 */
export function sanitizeAttributes(attrs: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (Object.keys(out).length >= 16) break;
    if (key.length > 64) continue;
    if (typeof value === "boolean" || typeof value === "number") out[key] = value;
    else if (typeof value === "string") out[key] = value.slice(0, 512);
    else if (Array.isArray(value)) out[key] = value.map((v) => pyItemString(v)).join(", ").slice(0, 512);
  }
  return out;
}

function pyItemString(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

function pyList(items: string[]): string {
  return `[${items.map((i) => `'${i}'`).join(", ")}]`;
}

function optionalString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function optionalNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function stringOr(v: unknown, fallback: string): string {
  return typeof v === "string" ? v : fallback;
}
