/**
 * Upstream's compat_client runs the same test through openai-python and llama-stack-client. The
 * TypeScript SDKs differ in call shapes (openai-node takes the vector store id in params), so this
 * adapter offers one interface over both. Every call goes through the variant's SDK and returns
 * the JSON body as sent on the wire: the Python clients expose every body field (pages included,
 * e.g. search_query, first_id, has_more), while the TypeScript page classes keep only `data`.
 */
import type { UpstreamTestContext } from "@llama-stack-tests/stack";
import type LlamaStackClient from "llama-stack-client";
import { toFile as toLlamaStackFile } from "llama-stack-client";
import type OpenAI from "openai";
import { toFile } from "openai";

export interface FileCounts {
  completed: number;
  cancelled: number;
  failed: number;
  in_progress: number;
  total: number;
}

export interface VectorStore {
  id: string;
  object: string;
  name: string | null;
  status: string;
  metadata: Record<string, unknown>;
  created_at: number;
  last_active_at: number;
  file_counts: FileCounts;
}

export interface Page<T> {
  object: string;
  data: T[];
  first_id?: string | null;
  last_id?: string | null;
  has_more: boolean;
}

export interface Deleted {
  id: string;
  object: string;
  deleted: boolean;
}

export interface SearchResult {
  file_id: string;
  filename: string;
  score: number;
  attributes: Record<string, unknown>;
  content: { type: string; text: string }[];
}

export interface SearchPage extends Page<SearchResult> {
  search_query: string | string[];
}

export interface VectorStoreFile {
  id: string;
  object: string;
  vector_store_id: string;
  status: string;
  chunking_strategy: { type: string };
  created_at: number;
  last_error: unknown;
  attributes: Record<string, unknown>;
}

export type ContentPage = Page<Record<string, unknown>>;

export interface FileBatch {
  id: string;
  object: string;
  vector_store_id: string;
  status: string;
  created_at: number;
  file_counts: FileCounts;
}

export interface UploadedFile {
  id: string;
  filename: string;
}

export interface ExpiresAfter {
  anchor: "created_at";
  seconds: number;
}

type Body = Record<string, unknown>;
type Query = Record<string, unknown>;

export interface CompatClient {
  createStore(body: Body): Promise<VectorStore>;
  retrieveStore(id: string): Promise<VectorStore>;
  updateStore(id: string, body: Body): Promise<VectorStore>;
  listStores(query?: Query): Promise<Page<VectorStore>>;
  deleteStore(id: string): Promise<Deleted>;
  search(id: string, body: Body): Promise<SearchPage>;
  uploadFile(name: string, content: string, expiresAfter?: ExpiresAfter): Promise<UploadedFile>;
  listFiles(): Promise<Page<UploadedFile>>;
  deleteFile(id: string): Promise<Deleted>;
  attachFile(storeId: string, body: Body): Promise<VectorStoreFile>;
  listStoreFiles(storeId: string, query?: Query): Promise<Page<VectorStoreFile>>;
  retrieveStoreFile(storeId: string, fileId: string): Promise<VectorStoreFile>;
  updateStoreFile(storeId: string, fileId: string, attributes: Record<string, unknown>): Promise<VectorStoreFile>;
  deleteStoreFile(storeId: string, fileId: string): Promise<Deleted>;
  storeFileContent(storeId: string, fileId: string, query?: Query): Promise<ContentPage>;
  createFileBatch(storeId: string, body: Body): Promise<FileBatch>;
  retrieveFileBatch(storeId: string, batchId: string): Promise<FileBatch>;
  cancelFileBatch(storeId: string, batchId: string): Promise<FileBatch>;
  listFileBatchFiles(storeId: string, batchId: string, query?: Query): Promise<Page<VectorStoreFile>>;
}

/** Both SDKs' request promises can hand back the raw response. */
interface RawCall {
  asResponse(): Promise<{ json(): Promise<unknown> }>;
}

async function wire<T>(call: RawCall): Promise<T> {
  return (await (await call.asResponse()).json()) as T;
}

/**
 * Upstream passes values the SDK types do not know (extra_body keys such as provider_id and
 * embedding_model, dict metadata); both SDKs send the body as given.
 */
function loose<T>(value: Body | Query | undefined): T {
  return value as unknown as T;
}

export function openaiCompat(c: OpenAI): CompatClient {
  return {
    createStore: (body) => wire(c.vectorStores.create(loose(body))),
    retrieveStore: (id) => wire(c.vectorStores.retrieve(id)),
    updateStore: (id, body) => wire(c.vectorStores.update(id, loose(body))),
    listStores: (query) => wire(c.vectorStores.list(loose(query))),
    deleteStore: (id) => wire(c.vectorStores.delete(id)),
    search: (id, body) => wire(c.vectorStores.search(id, loose(body))),
    uploadFile: async (name, content, expiresAfter) =>
      wire(
        c.files.create({
          file: await toFile(Buffer.from(content, "utf8"), name),
          purpose: "assistants",
          ...(expiresAfter ? { expires_after: expiresAfter } : {}),
        }),
      ),
    listFiles: () => wire(c.files.list()),
    deleteFile: (id) => wire(c.files.delete(id)),
    attachFile: (storeId, body) => wire(c.vectorStores.files.create(storeId, loose(body))),
    listStoreFiles: (storeId, query) => wire(c.vectorStores.files.list(storeId, loose(query))),
    retrieveStoreFile: (storeId, fileId) => wire(c.vectorStores.files.retrieve(fileId, { vector_store_id: storeId })),
    updateStoreFile: (storeId, fileId, attributes) =>
      wire(c.vectorStores.files.update(fileId, loose({ vector_store_id: storeId, attributes }))),
    deleteStoreFile: (storeId, fileId) => wire(c.vectorStores.files.delete(fileId, { vector_store_id: storeId })),
    storeFileContent: (storeId, fileId, query) =>
      wire(c.vectorStores.files.content(fileId, { vector_store_id: storeId }, query ? { query } : undefined)),
    createFileBatch: (storeId, body) => wire(c.vectorStores.fileBatches.create(storeId, loose(body))),
    retrieveFileBatch: (storeId, batchId) => wire(c.vectorStores.fileBatches.retrieve(batchId, { vector_store_id: storeId })),
    cancelFileBatch: (storeId, batchId) => wire(c.vectorStores.fileBatches.cancel(batchId, { vector_store_id: storeId })),
    listFileBatchFiles: (storeId, batchId, query) =>
      wire(c.vectorStores.fileBatches.listFiles(batchId, loose({ vector_store_id: storeId, ...query }))),
  };
}

export function llamaStackCompat(c: LlamaStackClient): CompatClient {
  return {
    createStore: (body) => wire(c.vectorStores.create(loose(body))),
    retrieveStore: (id) => wire(c.vectorStores.retrieve(id)),
    updateStore: (id, body) => wire(c.vectorStores.update(id, loose(body))),
    listStores: (query) => wire(c.vectorStores.list(loose(query ?? {}))),
    deleteStore: (id) => wire(c.vectorStores.delete(id)),
    search: (id, body) => wire(c.vectorStores.search(id, loose(body))),
    uploadFile: async (name, content, expiresAfter) =>
      wire(
        c.files.create({
          file: await toLlamaStackFile(Buffer.from(content, "utf8"), name),
          purpose: "assistants",
          ...(expiresAfter ? { expires_after: expiresAfter } : {}),
        }),
      ),
    listFiles: () => wire(c.files.list()),
    deleteFile: (id) => wire(c.files.delete(id)),
    attachFile: (storeId, body) => wire(c.vectorStores.files.create(storeId, loose(body))),
    listStoreFiles: (storeId, query) => wire(c.vectorStores.files.list(storeId, loose(query ?? {}))),
    retrieveStoreFile: (storeId, fileId) => wire(c.vectorStores.files.retrieve(storeId, fileId)),
    updateStoreFile: (storeId, fileId, attributes) => wire(c.vectorStores.files.update(storeId, fileId, { attributes })),
    deleteStoreFile: (storeId, fileId) => wire(c.vectorStores.files.delete(storeId, fileId)),
    storeFileContent: (storeId, fileId, query) => wire(c.vectorStores.files.content(storeId, fileId, loose(query ?? {}))),
    createFileBatch: (storeId, body) => wire(c.vectorStores.fileBatches.create(storeId, loose(body))),
    retrieveFileBatch: (storeId, batchId) => wire(c.vectorStores.fileBatches.retrieve(storeId, batchId)),
    cancelFileBatch: (storeId, batchId) => wire(c.vectorStores.fileBatches.cancel(storeId, batchId)),
    listFileBatchFiles: (storeId, batchId, query) =>
      wire(c.vectorStores.fileBatches.listFiles(storeId, batchId, loose(query ?? {}))),
  };
}

/** The adapter for the case's client variant (openai_client, or llama-stack-client otherwise). */
export function compatFor<P>(t: UpstreamTestContext<P>): CompatClient {
  return t.variant === "openai_client" ? openaiCompat(t.openai) : llamaStackCompat(t.client);
}
