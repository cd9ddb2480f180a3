/** Fusion of vector and keyword scores for hybrid search (reciprocal rank fusion or weighted). */

export type Reranker = { type: "rrf"; impactFactor: number } | { type: "weighted"; alpha: number };

export const DEFAULT_RERANKER: Reranker = { type: "rrf", impactFactor: 60 };

/**
 * Reads vector-io query `params.ranker` ({strategy: "rrf", params: {k}} or
 * {strategy: "weighted", params: {weights: [alpha, ...]}}). Any other strategy falls back to
 * RRF with k=60, as upstream's aggregator does.
 */
export function rerankerFromParams(ranker: unknown): Reranker {
  if (ranker === null || typeof ranker !== "object") return DEFAULT_RERANKER;
  const r = ranker as { strategy?: unknown; params?: Record<string, unknown> };
  const strategy = r.strategy ?? "rrf";
  const params = r.params ?? {};
  if (strategy === "weighted") {
    const weights = Array.isArray(params.weights) ? params.weights : [0.5, 0.5];
    const alpha = weights.length > 0 && typeof weights[0] === "number" ? weights[0] : 0.5;
    return { type: "weighted", alpha };
  }
  if (strategy === "rrf") {
    return { type: "rrf", impactFactor: typeof params.k === "number" ? params.k : 60 };
  }
  return DEFAULT_RERANKER;
}

export function combineScores(
  vector: Map<string, number>,
  keyword: Map<string, number>,
  reranker: Reranker,
): Map<string, number> {
  return reranker.type === "weighted"
    ? weighted(vector, keyword, reranker.alpha)
    : rrf(vector, keyword, reranker.impactFactor);
}

function rrf(vector: Map<string, number>, keyword: Map<string, number>, k: number): Map<string, number> {
  const vr = ranks(vector);
  const kr = ranks(keyword);
  const out = new Map<string, number>();
  for (const id of new Set([...vector.keys(), ...keyword.keys()])) {
    out.set(id, 1 / (k + (vr.get(id) ?? Infinity)) + 1 / (k + (kr.get(id) ?? Infinity)));
  }
  return out;
}

/** Rank 1 for the highest score; ties keep their incoming order (a stable sort). */
function ranks(scores: Map<string, number>): Map<string, number> {
  const sorted = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  return new Map(sorted.map(([id], i) => [id, i + 1]));
}

function weighted(vector: Map<string, number>, keyword: Map<string, number>, alpha: number): Map<string, number> {
  const nv = normalize(vector);
  const nk = normalize(keyword);
  const out = new Map<string, number>();
  for (const id of new Set([...vector.keys(), ...keyword.keys()])) {
    out.set(id, (1 - alpha) * (nk.get(id) ?? 0) + alpha * (nv.get(id) ?? 0));
  }
  return out;
}

/** Min-max normalization to 0..1; all-equal scores become 1. */
function normalize(scores: Map<string, number>): Map<string, number> {
  if (scores.size === 0) return new Map();
  const values = [...scores.values()];
  const min = Math.min(...values);
  const range = Math.max(...values) - min;
  return new Map([...scores].map(([id, s]) => [id, range > 0 ? (s - min) / range : 1]));
}
