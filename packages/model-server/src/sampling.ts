import type { SamplingOptions } from "./engine.js";
import { optionalNumber, stopSequences, type Json } from "./validate.js";

/** Default completion length: small, because the tiny model is only exercised for shape. */
export const DEFAULT_MAX_TOKENS = 24;
/** Grammar-constrained output must be allowed to finish its JSON. */
export const DEFAULT_GRAMMAR_MAX_TOKENS = 400;

/**
 * Seed of a request that names none. Output must be a function of the request alone, so that
 * re-recording an unchanged test writes the same text: never a random seed, never one carried over
 * from the requests before.
 */
export const DEFAULT_SEED = 0;

/** Sampling fields shared by /v1/chat/completions and /v1/completions. */
export function readSampling(body: Json, maxTokensFields: readonly string[], constrained: boolean): Omit<SamplingOptions, "topLogprobs" | "grammar"> & { n: number } {
  let maxTokens: number | undefined;
  for (const field of maxTokensFields) {
    // Llama Stack sends max_tokens: 0 to mean "no explicit limit".
    maxTokens ||= optionalNumber(body, field, { min: 0, integer: true });
  }
  const temperature = optionalNumber(body, "temperature", { min: 0, max: 2 }) ?? 1;
  const topP = optionalNumber(body, "top_p", { min: 0, max: 1 });
  const seed = optionalNumber(body, "seed", { integer: true });
  const n = optionalNumber(body, "n", { min: 1, max: 8, integer: true }) ?? 1;
  return {
    maxTokens: maxTokens ?? (constrained ? DEFAULT_GRAMMAR_MAX_TOKENS : DEFAULT_MAX_TOKENS),
    temperature,
    topP,
    // llama.cpp needs a 32-bit value.
    seed: (seed ?? DEFAULT_SEED) >>> 0,
    stop: stopSequences(body),
    n,
  };
}

/** Seed for the i-th of n choices, so n > 1 with a fixed seed yields distinct but reproducible choices. */
export function choiceSeed(seed: number, index: number): number {
  return (seed + index) >>> 0;
}
