/**
 * Upstream's aggregation functions over score rows. Scores are Python floats (basic functions) or
 * strings/None (LLM judge); Python's own errors on other mixes (sum of strings, no scores) surface as 500s.
 */
import { pyRepr } from "../vector_io/py-repr.js";
import type { AggregationFunction, ScoreRow } from "./types.js";

/** An aggregation Python could not compute (a TypeError or ZeroDivisionError upstream: a 500). */
export class AggregationError extends Error {
  constructor(metric: AggregationFunction, reason: string) {
    super(`Aggregation '${metric}' failed: ${reason}`);
    this.name = "AggregationError";
  }
}

function numbers(metric: AggregationFunction, values: unknown[]): number[] {
  return values.map((v) => {
    if (typeof v !== "number") throw new AggregationError(metric, `score ${pyRepr(v)} is not a number`);
    return v;
  });
}

/** str() of a score: every numeric score is a Python float, so whole numbers print as "1.0". */
function pyStr(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  return pyRepr(value);
}

const present = (rows: ScoreRow[]) => rows.map((r) => r.score).filter((s) => s !== null && s !== undefined);

const AGGREGATIONS: Record<AggregationFunction, (rows: ScoreRow[]) => Record<string, unknown>> = {
  accuracy(rows) {
    const scores = numbers("accuracy", rows.map((r) => r.score));
    const correct = scores.reduce((a, b) => a + b, 0);
    if (rows.length === 0) throw new AggregationError("accuracy", "division by zero (no rows)");
    return { accuracy: correct / rows.length, num_correct: correct, num_total: rows.length };
  },
  average(rows) {
    const scores = numbers("average", present(rows));
    if (scores.length === 0) throw new AggregationError("average", "division by zero (no scores)");
    return { average: scores.reduce((a, b) => a + b, 0) / scores.length };
  },
  weighted_average(rows) {
    let total = 0;
    let weights = 0;
    for (const r of rows) {
      if (!("weight" in r)) throw new AggregationError("weighted_average", "a score row has no 'weight'");
      const [score, weight] = numbers("weighted_average", [r.score ?? 0, r.weight ?? 0]) as [number, number];
      if (r.score !== null && r.weight !== null) total += score * weight;
      if (r.weight !== null) weights += weight;
    }
    if (weights === 0) throw new AggregationError("weighted_average", "division by zero (no weights)");
    return { weighted_average: total / weights };
  },
  median(rows) {
    const scores = numbers("median", present(rows)).sort((a, b) => a - b);
    if (scores.length === 0) return { median: null };
    const mid = Math.floor(scores.length / 2);
    const median = scores.length % 2 === 1 ? scores[mid] : ((scores[mid - 1] as number) + (scores[mid] as number)) / 2;
    return { median };
  },
  categorical_count(rows) {
    const scores = rows.map((r) => pyStr(r.score ?? null));
    const counts: Record<string, number> = {};
    for (const s of [...new Set(scores)].sort()) counts[s] = scores.filter((x) => x === s).length;
    return { categorical_count: counts };
  },
};

/** Aggregated results keyed by metric, in the order asked for. */
export function aggregateMetrics(rows: ScoreRow[], metrics: readonly AggregationFunction[]): Record<string, unknown> {
  return Object.fromEntries(metrics.map((m) => [m, AGGREGATIONS[m](rows)]));
}
