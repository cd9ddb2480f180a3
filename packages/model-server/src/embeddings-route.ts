import { badRequest } from "./errors.js";
import { requireModel, type ServedModels } from "./models.js";
import type { Embedder } from "./sentence-embedder.js";
import { checkedTokens, isTokenIdList } from "./token-ids.js";
import { optionalNumber, optionalString, type Json } from "./validate.js";

/** `input`: a non-empty string, a list of them, a token list or a list of token lists. */
function readInputs(engine: Embedder, value: unknown): string[] {
  const fromTokens = (ids: number[]) => engine.detokenize(checkedTokens(engine, ids, "input"));
  if (typeof value === "string") {
    if (!value) throw badRequest("input", "'input' must not be an empty string.");
    return [value];
  }
  if (isTokenIdList(value)) return [fromTokens(value)];
  if (Array.isArray(value) && value.length > 0) {
    return value.map((v, i) => {
      if (typeof v === "string" && v) return v;
      if (isTokenIdList(v)) return fromTokens(v);
      throw badRequest(`input[${i}]`, `'input[${i}]' must be a non-empty string or a list of token ids.`);
    });
  }
  throw badRequest("input", "'input' is required: a non-empty string or a non-empty list of strings.");
}

/** Truncates to `dimensions` then L2-normalizes, as OpenAI's shortened embeddings are unit length. */
function shape(vector: number[], dimensions: number): number[] {
  const v = vector.slice(0, dimensions);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return norm > 0 ? v.map((x) => x / norm) : v;
}

function toBase64(vector: number[]): string {
  const buf = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString("base64");
}

/** POST /v1/embeddings; `embedderOf` maps a served embedding model id to its model. */
export async function embeddings(embedderOf: (model: string) => Embedder, ids: ServedModels, body: Json): Promise<unknown> {
  const model = requireModel(body, ids, "embedding");
  const engine = embedderOf(model);
  const inputs = readInputs(engine, body.input);
  const format = optionalString(body, "encoding_format") ?? "float";
  if (format !== "float" && format !== "base64") throw badRequest("encoding_format", "'encoding_format' must be \"float\" or \"base64\".");
  const size = engine.embeddingSize;
  const dimensions = optionalNumber(body, "dimensions", { min: 1, max: size, integer: true }) ?? size;
  const { vectors, promptTokens } = await engine.embed(inputs);
  return {
    object: "list",
    data: vectors.map((raw, index) => {
      const v = shape(raw, dimensions);
      return { object: "embedding", index, embedding: format === "base64" ? toBase64(v) : v };
    }),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}
