import type { Token } from "node-llama-cpp";
import { badRequest } from "./errors.js";

/** OpenAI accepts token ids wherever text goes (`prompt`, `input`). */
export function isTokenIdList(v: unknown): v is number[] {
  return Array.isArray(v) && v.length > 0 && v.every((t) => Number.isInteger(t) && (t as number) >= 0);
}

/** Checks ids against the vocabulary so llama.cpp never sees an out-of-range token. */
export function checkedTokens(engine: { readonly vocabularySize: number }, ids: number[], field: string): Token[] {
  const vocab = engine.vocabularySize;
  if (ids.some((t) => t >= vocab)) throw badRequest(field, `'${field}' contains a token id outside the vocabulary (size ${vocab}).`);
  return ids as Token[];
}
