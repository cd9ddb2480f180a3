import { createHash } from "node:crypto";
import { pyRepr } from "./py-repr.js";
import type { Chunk } from "./types.js";

/** The name upstream records as `chunk_tokenizer` (it is the Llama 3 tiktoken vocabulary). */
const TOKENIZER_NAME = "DEFAULT_TIKTOKEN_TOKENIZER";

interface Tokenizer {
  encode(text: string): number[];
  decode(ids: number[]): string;
}

let tokenizer: Promise<Tokenizer> | undefined;

/**
 * The Llama 3 tokenizer, loaded on first use (its vocabulary takes ~0.6 s to load, which
 * must not delay server start-up). Special-token text is encoded as plain text, as upstream does.
 */
export function getTokenizer(): Promise<Tokenizer> {
  tokenizer ??= import("llama3-tokenizer-js").then(({ default: t }) => ({
    encode: (text: string) =>
      t.encode(text, { bos: false, eos: false, specialTokenRegex: /(?!)/g } as Parameters<typeof t.encode>[1]),
    decode: (ids: number[]) => t.decode(ids),
  }));
  return tokenizer;
}

/**
 * Deterministic chunk id: the first 32 hex digits of sha256("<a>:<b>[:<window>]") formatted as a UUID.
 * Upstream calls it with (chunk text, document text, window) when chunking files.
 */
export function generateChunkId(first: string, second: string, window?: string): string {
  const input = window ? `${first}:${second}:${window}` : `${first}:${second}`;
  const hex = createHash("sha256").update(input, "utf8").digest("hex").slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Splits text into token windows of `windowLen` tokens that overlap by `overlapLen`, each a
 * chunk carrying `metadata` plus chunk_id, document_id and token counts, as upstream's
 * make_overlapped_chunks does.
 */
export async function makeOverlappedChunks(
  documentId: string,
  text: string,
  windowLen: number,
  overlapLen: number,
  metadata: Record<string, unknown>,
  nowSeconds: number,
): Promise<Chunk[]> {
  const step = windowLen - overlapLen;
  if (step === 0) {
    throw new Error(
      `chunk_overlap_tokens (${overlapLen}) must be smaller than max_chunk_size_tokens (${windowLen})`,
    );
  }
  const tok = await getTokenizer();
  const tokens = tok.encode(text);
  const metadataTokenCount = tok.encode(pyRepr(metadata)).length;
  const chunks: Chunk[] = [];
  // A negative step yields no windows, like Python's range().
  for (let i = 0; step > 0 && i < tokens.length; i += step) {
    const window = tokens.slice(i, i + windowLen);
    const chunkText = tok.decode(window);
    const chunkWindow = `${i}-${i + window.length}`;
    const chunkId = generateChunkId(chunkText, text, chunkWindow);
    const source = metadata.source;
    const created = metadata.created_timestamp;
    chunks.push({
      content: chunkText,
      chunk_id: chunkId,
      metadata: {
        ...metadata,
        chunk_id: chunkId,
        document_id: documentId,
        token_count: window.length,
        metadata_token_count: metadataTokenCount,
      },
      embedding: null,
      chunk_metadata: {
        chunk_id: chunkId,
        document_id: documentId,
        source: typeof source === "string" ? source : null,
        created_timestamp: typeof created === "number" ? created : nowSeconds,
        updated_timestamp: nowSeconds,
        chunk_window: chunkWindow,
        chunk_tokenizer: TOKENIZER_NAME,
        chunk_embedding_model: null,
        chunk_embedding_dimension: null,
        content_token_count: window.length,
        metadata_token_count: metadataTokenCount,
      },
    });
  }
  return chunks;
}
