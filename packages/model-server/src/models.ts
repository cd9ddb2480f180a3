import { EMBEDDING_MODEL } from "./embedding-model.js";
import { ApiError, modelNotFound } from "./errors.js";
import { requiredString, type Json } from "./validate.js";

export interface ServedModels {
  /** Id answering chat and text completions. */
  chat: string;
  /** Id answering embeddings (same weights, pooled hidden state). */
  embedding: string;
  /** Id answering chat completions with output fixed to Llama Guard verdicts (same weights, see guard-grammar.ts). */
  guard: string;
  /** Id answering embeddings with the real sentence-embedding model (embedding-model.ts), when the server loaded it. */
  sentenceEmbedding?: string;
}

export const DEFAULT_MODEL_IDS: ServedModels = {
  chat: "tiny-random-llama",
  embedding: "tiny-random-llama-embed",
  guard: "tiny-random-llama-guard",
  sentenceEmbedding: EMBEDDING_MODEL.id,
};

export type RequestKind = "chat" | "completion" | "embedding";

export function servedIds(ids: ServedModels): string[] {
  return [ids.chat, ids.embedding, ids.guard, ...(ids.sentenceEmbedding ? [ids.sentenceEmbedding] : [])];
}

/** Reads `model` and checks that it is served for this kind of request. */
export function requireModel(body: Json, ids: ServedModels, kind: RequestKind): string {
  const model = requiredString(body, "model");
  const all = servedIds(ids);
  if (!all.includes(model)) throw modelNotFound(model, all);
  const accepted = kind === "chat" ? [ids.chat, ids.guard] : kind === "completion" ? [ids.chat] : servedIds(ids).filter((id) => id === ids.embedding || id === ids.sentenceEmbedding);
  if (!accepted.includes(model)) {
    const use = kind === "chat" ? "chat completions" : kind === "completion" ? "text completions" : "embeddings";
    throw new ApiError(400, `The model '${model}' does not support ${use}; use '${accepted.join("' or '")}'.`, "model", "model_not_supported");
  }
  return model;
}
