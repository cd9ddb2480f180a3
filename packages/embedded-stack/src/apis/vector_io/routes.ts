import { z } from "zod";
import { parseBody, parseQuery, route, type RouteModule, pyInt } from "../../server/index.js";
import { vectorIoServiceOf } from "./context.js";
import {
  attachFileBody,
  chunkSchema,
  createFileBatchBody,
  createVectorStoreBody,
  fileStatusSchema,
  insertChunksBody,
  queryChunksBody,
  searchVectorStoreBody,
  updateFileBody,
  updateVectorStoreBody,
} from "./schemas.js";
import type { QueryParams } from "./service.js";
import { type Chunk, type ChunkMetadata, type ChunkingStrategy, DEFAULT_STATIC_CHUNKING, type FileStatus } from "./types.js";

type Params = Record<string, string>;
const vs = (p: Params) => p.vector_store_id as string;
const file = (p: Params) => p.file_id as string;
const batch = (p: Params) => p.batch_id as string;

const listQuery = z.object({
  limit: pyInt().optional(),
  order: z.string().optional(),
  after: z.string().optional(),
  before: z.string().optional(),
});

/** Query booleans as pydantic reads them ("true", "1", "yes", "on", ...). */
const queryBool = z.preprocess((v) => {
  if (typeof v !== "string") return v;
  const s = v.toLowerCase();
  if (["true", "1", "yes", "on", "t", "y"].includes(s)) return true;
  if (["false", "0", "no", "off", "f", "n"].includes(s)) return false;
  return v;
}, z.boolean().optional());

const fileContentQuery = z.object({ include_embeddings: queryBool, include_metadata: queryBool });

/**
 * vector-io query params upstream reads (max_chunks, mode, score_threshold, ranker); checked here so a
 * wrong type is a 400 naming the field rather than a failure inside the index. Other keys pass through.
 */
const queryParams = z
  .object({
    max_chunks: z.number().int().optional(),
    mode: z.string().nullish(),
    score_threshold: z.number().optional(),
    ranker: z.record(z.unknown()).nullish(),
  })
  .passthrough();

const KNOWN_CREATE_KEYS = new Set(["name", "file_ids", "expires_after", "chunking_strategy", "metadata"]);

/** Vector stores (OpenAI API) and vector-io chunk insert/query, embedding through the inference router. */
export const registerVectorIoRoutes: RouteModule = (app, ctx) => {
  const service = vectorIoServiceOf(ctx);
  app.addHook("onClose", () => service.close());

  // ---- vector stores ----
  route(app, "POST", "/v1/vector_stores", (req) => {
    const body = parseBody(createVectorStoreBody, req.body);
    const extra = Object.fromEntries(Object.entries(body).filter(([key]) => !KNOWN_CREATE_KEYS.has(key)));
    return service.createStore({ ...body, chunking_strategy: body.chunking_strategy ?? null, extra });
  });
  route(app, "GET", "/v1/vector_stores", (req) => service.listStores(parseQuery(listQuery, req.query)));
  route(app, "GET", "/v1/vector_stores/{vector_store_id}", (_req, _reply, p) =>
    service.retrieveStore(vs(p)),
  );
  route(app, "POST", "/v1/vector_stores/{vector_store_id}", (req, _reply, p) =>
    service.updateStore(vs(p), parseBody(updateVectorStoreBody, req.body)),
  );
  route(app, "DELETE", "/v1/vector_stores/{vector_store_id}", (_req, _reply, p) =>
    service.deleteStore(vs(p)),
  );
  route(app, "POST", "/v1/vector_stores/{vector_store_id}/search", (req, _reply, p) =>
    service.search(vs(p), parseBody(searchVectorStoreBody, req.body)),
  );

  // ---- files in a store ----
  route(app, "POST", "/v1/vector_stores/{vector_store_id}/files", (req, _reply, p) => {
    const body = parseBody(attachFileBody, req.body);
    return service.attachFile(vs(p), body.file_id, body.attributes, routerStrategy(body.chunking_strategy));
  });
  route(app, "GET", "/v1/vector_stores/{vector_store_id}/files", (req, _reply, p) => {
    const query = parseQuery(listQuery.extend({ filter: fileStatusSchema.optional() }), req.query);
    return service.listFiles(vs(p), { ...query, filter: query.filter as FileStatus | undefined });
  });
  route(app, "GET", "/v1/vector_stores/{vector_store_id}/files/{file_id}", (_req, _reply, p) =>
    service.retrieveFile(vs(p), file(p)),
  );
  route(app, "POST", "/v1/vector_stores/{vector_store_id}/files/{file_id}", (req, _reply, p) => {
    const { attributes } = parseBody(updateFileBody, req.body);
    return service.updateFile(vs(p), file(p), attributes);
  });
  route(app, "DELETE", "/v1/vector_stores/{vector_store_id}/files/{file_id}", (_req, _reply, p) =>
    service.deleteFile(vs(p), file(p)),
  );
  route(app, "GET", "/v1/vector_stores/{vector_store_id}/files/{file_id}/content", (req, _reply, p) => {
    const query = parseQuery(fileContentQuery, req.query);
    return service.fileContents(vs(p), file(p), {
      embeddings: query.include_embeddings,
      metadata: query.include_metadata,
    });
  });

  // ---- file batches ----
  route(app, "POST", "/v1/vector_stores/{vector_store_id}/file_batches", (req, _reply, p) => {
    const body = parseBody(createFileBatchBody, req.body);
    return service.createFileBatch(vs(p), {
      file_ids: body.file_ids,
      attributes: body.attributes,
      chunking_strategy: body.chunking_strategy,
    });
  });
  route(app, "GET", "/v1/vector_stores/{vector_store_id}/file_batches/{batch_id}", (_req, _reply, p) =>
    service.retrieveFileBatch(vs(p), batch(p)),
  );
  route(app, "POST", "/v1/vector_stores/{vector_store_id}/file_batches/{batch_id}/cancel", (_req, _reply, p) =>
    service.cancelFileBatch(vs(p), batch(p)),
  );
  route(app, "GET", "/v1/vector_stores/{vector_store_id}/file_batches/{batch_id}/files", (req, _reply, p) => {
    const query = parseQuery(listQuery.extend({ filter: z.string().optional() }), req.query);
    return service.listFileBatchFiles(vs(p), batch(p), query);
  });

  // ---- vector-io ----
  // Upstream's insert returns nothing, which its server sends as a JSON null.
  route(app, "POST", "/v1/vector-io/insert", async (req) => {
    const body = parseBody(insertChunksBody, req.body);
    await service.insertChunks(body.vector_store_id, body.chunks.map(toChunk));
  });
  route(app, "POST", "/v1/vector-io/query", (req) => {
    const body = parseBody(queryChunksBody.extend({ params: queryParams.nullish() }), req.body);
    const { max_chunks, mode, score_threshold, ranker } = body.params ?? {};
    const params: QueryParams = { max_chunks, mode: mode ?? undefined, score_threshold, ranker: ranker ?? undefined };
    return service.queryChunks(body.vector_store_id, body.query, params);
  });
};

/** Upstream's router turns a missing or "auto" strategy into the static default before attaching. */
function routerStrategy(strategy: ChunkingStrategy | null | undefined): ChunkingStrategy {
  return strategy && strategy.type === "static" ? strategy : { type: "static", static: { ...DEFAULT_STATIC_CHUNKING } };
}

const CHUNK_METADATA_KEYS: (keyof ChunkMetadata)[] = [
  "chunk_id",
  "document_id",
  "source",
  "created_timestamp",
  "updated_timestamp",
  "chunk_window",
  "chunk_tokenizer",
  "chunk_embedding_model",
  "chunk_embedding_dimension",
  "content_token_count",
  "metadata_token_count",
];

/** A parsed chunk with every optional field present (null), as upstream's model dumps it. */
function toChunk(chunk: z.output<typeof chunkSchema>): Chunk {
  const meta = chunk.chunk_metadata;
  return {
    content: chunk.content,
    chunk_id: chunk.chunk_id,
    metadata: chunk.metadata,
    embedding: chunk.embedding ?? null,
    chunk_metadata: meta ? (Object.fromEntries(CHUNK_METADATA_KEYS.map((k) => [k, meta[k] ?? null])) as ChunkMetadata) : null,
  };
}
