import { z } from "zod";
import { FILE_STATUSES } from "./types.js";

/** Request schemas of the vector stores and vector-io routes, after the OpenAPI spec. */

const record = z.record(z.unknown());

const staticConfig = z.object({
  chunk_overlap_tokens: z.number().int().default(400),
  max_chunk_size_tokens: z.number().int().gte(100).lte(4096).default(800),
});

export const chunkingStrategySchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("auto") }),
  z.object({ type: z.literal("static"), static: staticConfig }),
]);

export const createVectorStoreBody = z
  .object({
    name: z.string().nullish(),
    file_ids: z.array(z.string()).nullish(),
    expires_after: record.nullish(),
    chunking_strategy: chunkingStrategySchema.nullish(),
    metadata: record.nullish(),
  })
  .passthrough();

export const updateVectorStoreBody = z.object({
  name: z.string().nullish(),
  expires_after: record.nullish(),
  metadata: record.nullish(),
});

export const searchVectorStoreBody = z.object({
  query: z.union([z.string(), z.array(z.string())]),
  filters: record.nullish(),
  max_num_results: z.number().int().nullish(),
  ranking_options: z
    .object({ ranker: z.string().nullish(), score_threshold: z.number().nullish() })
    .nullish(),
  rewrite_query: z.boolean().nullish(),
  search_mode: z.string().nullish(),
});

export const attachFileBody = z.object({
  file_id: z.string(),
  attributes: record.nullish(),
  chunking_strategy: chunkingStrategySchema.nullish(),
});

export const updateFileBody = z.object({ attributes: record });

export const createFileBatchBody = z
  .object({
    file_ids: z.array(z.string()),
    attributes: record.nullish(),
    chunking_strategy: chunkingStrategySchema.nullish(),
  })
  .passthrough();

const contentItem = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({ type: z.literal("image"), image: z.unknown() }),
]);

export const interleavedContent = z.union([z.string(), contentItem, z.array(contentItem)]);

const chunkMetadata = z
  .object({
    chunk_id: z.string().nullish(),
    document_id: z.string().nullish(),
    source: z.string().nullish(),
    created_timestamp: z.number().int().nullish(),
    updated_timestamp: z.number().int().nullish(),
    chunk_window: z.string().nullish(),
    chunk_tokenizer: z.string().nullish(),
    chunk_embedding_model: z.string().nullish(),
    chunk_embedding_dimension: z.number().int().nullish(),
    content_token_count: z.number().int().nullish(),
    metadata_token_count: z.number().int().nullish(),
  })
  .strip();

export const chunkSchema = z.object({
  content: interleavedContent,
  chunk_id: z.string(),
  metadata: record.default({}),
  embedding: z.array(z.number()).nullish(),
  chunk_metadata: chunkMetadata.nullish(),
});

export const insertChunksBody = z.object({
  vector_store_id: z.string(),
  chunks: z.array(chunkSchema),
  ttl_seconds: z.number().int().nullish(),
});

export const queryChunksBody = z.object({
  vector_store_id: z.string(),
  query: interleavedContent,
  params: record.nullish(),
});

export const fileStatusSchema = z.enum(FILE_STATUSES as [string, ...string[]]);
