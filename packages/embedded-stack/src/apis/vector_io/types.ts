/** Wire and storage types of the vector stores and vector-io APIs. */

export interface ChunkMetadata {
  chunk_id?: string | null;
  document_id?: string | null;
  source?: string | null;
  created_timestamp?: number | null;
  updated_timestamp?: number | null;
  chunk_window?: string | null;
  chunk_tokenizer?: string | null;
  chunk_embedding_model?: string | null;
  chunk_embedding_dimension?: number | null;
  content_token_count?: number | null;
  metadata_token_count?: number | null;
}

/** Interleaved content as clients send it: a string, one content item, or a list of items. */
export type ChunkContent = string | ContentItem | ContentItem[];
export type ContentItem = { type: "text"; text: string } | { type: "image"; image?: unknown };

export interface Chunk {
  content: ChunkContent;
  chunk_id: string;
  metadata: Record<string, unknown>;
  embedding: number[] | null;
  chunk_metadata: ChunkMetadata | null;
}

export interface QueryChunksResponse {
  chunks: Chunk[];
  scores: number[];
}

export interface FileCounts {
  completed: number;
  cancelled: number;
  failed: number;
  in_progress: number;
  total: number;
}

export type FileStatus = "completed" | "in_progress" | "cancelled" | "failed";
export const FILE_STATUSES: readonly FileStatus[] = ["completed", "in_progress", "cancelled", "failed"];

export interface StaticChunkingConfig {
  chunk_overlap_tokens: number;
  max_chunk_size_tokens: number;
}

export type ChunkingStrategy = { type: "auto" } | { type: "static"; static: StaticChunkingConfig };

export const DEFAULT_STATIC_CHUNKING: StaticChunkingConfig = { chunk_overlap_tokens: 400, max_chunk_size_tokens: 800 };

export interface VectorStoreObject {
  id: string;
  object: "vector_store";
  created_at: number;
  name: string | null;
  usage_bytes: number;
  file_counts: FileCounts;
  status: string;
  expires_after: Record<string, unknown> | null;
  expires_at: number | null;
  last_active_at: number | null;
  metadata: Record<string, unknown>;
}

/** What the service keeps per store beyond the wire object. */
export interface StoredVectorStore extends VectorStoreObject {
  file_ids: string[];
  chunking_strategy: ChunkingStrategy;
  embedding_model: string;
  embedding_dimension: number;
  provider_id: string;
}

export interface FileLastError {
  code: "server_error" | "rate_limit_exceeded";
  message: string;
}

export interface VectorStoreFileObject {
  id: string;
  object: "vector_store.file";
  attributes: Record<string, string | number | boolean>;
  chunking_strategy: ChunkingStrategy;
  created_at: number;
  last_error: FileLastError | null;
  status: FileStatus;
  usage_bytes: number;
  vector_store_id: string;
}

export interface VectorStoreFileBatchObject {
  id: string;
  object: "vector_store.file_batch";
  created_at: number;
  vector_store_id: string;
  status: FileStatus;
  file_counts: FileCounts;
}

export interface StoredFileBatch extends VectorStoreFileBatchObject {
  file_ids: string[];
  attributes: Record<string, unknown> | null;
  chunking_strategy: ChunkingStrategy;
  expires_at: number;
}

export interface ListPage<T> {
  object: "list";
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface VectorStoreContent {
  type: "text";
  text: string;
  embedding: number[] | null;
  chunk_metadata: ChunkMetadata | null;
  metadata: Record<string, unknown> | null;
}

export interface VectorStoreSearchResult {
  file_id: string;
  filename: string;
  score: number;
  attributes: Record<string, unknown> | null;
  content: VectorStoreContent[];
}

export interface VectorStoreSearchPage {
  object: "vector_store.search_results.page";
  search_query: string[];
  data: VectorStoreSearchResult[];
  has_more: boolean;
  next_page: string | null;
}

export type SearchMode = "vector" | "keyword" | "hybrid";

/** Comparison and compound filters over chunk metadata (OpenAI file-search filters). */
export type AttributeFilter =
  | { type: "eq" | "ne" | "gt" | "gte" | "lt" | "lte"; key: string; value: unknown }
  | { type: "and" | "or"; filters: AttributeFilter[] };
