import { createHash } from "node:crypto";

/**
 * Deterministic stand-in for an embedding model: a normalized bag of hashed words, so texts
 * that share words are close and search relevance is predictable in tests.
 */
export function bagOfWords(text: string, dimension: number): number[] {
  const v = new Array<number>(dimension).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const bucket = createHash("md5").update(word).digest().readUInt32BE(0) % dimension;
    v[bucket] = (v[bucket] ?? 0) + 1;
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}
