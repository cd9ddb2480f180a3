import { ApiError, modelNotFound } from "./errors.js";
import { requiredString, type Json } from "./validate.js";

export interface ServedModels {
  /** Id answering chat and text completions. */
  chat: string;
  /** Id answering embeddings (same weights, pooled hidden state). */
  embedding: string;
}

export const DEFAULT_MODEL_IDS: ServedModels = { chat: "tiny-random-llama", embedding: "tiny-random-llama-embed" };

/** Reads `model` and checks that it is served for this kind of request. */
export function requireModel(body: Json, ids: ServedModels, kind: keyof ServedModels): string {
  const model = requiredString(body, "model");
  const all = [ids.chat, ids.embedding];
  if (!all.includes(model)) throw modelNotFound(model, all);
  if (model !== ids[kind]) {
    const use = kind === "chat" ? "chat and text completions" : "embeddings";
    throw new ApiError(400, `The model '${model}' does not support ${use}; use '${ids[kind]}'.`, "model", "model_not_supported");
  }
  return model;
}
