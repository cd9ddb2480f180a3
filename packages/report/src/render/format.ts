import type { ApiSummary, FunctionCoverage, ReasonCount, SkippedAssertionCount } from "../model.js";

export type Verdict = "fail" | "partial" | "pass" | "not-run";

/** One word per API for colour-coding: failures first, then gaps, then clean. */
export function verdictOf(summary: ApiSummary, reported = true): Verdict {
  if (!reported) return "not-run";
  if (summary.failed > 0 || summary.errors > 0) return "fail";
  const { covered, total } = summary.upstreamFunctions;
  if (summary.skipped > 0 || summary.skippedAssertions > 0 || (total !== null && covered < total)) return "partial";
  return summary.tests > 0 ? "pass" : "partial";
}

export const VERDICT_LABEL: Record<Verdict, string> = {
  fail: "failing",
  partial: "partial",
  pass: "passing",
  "not-run": "not run",
};

export function formatCoverage({ covered, total }: FunctionCoverage): string {
  if (total === null) return `${covered} / –`;
  const pct = total === 0 ? 100 : Math.round((covered / total) * 100);
  return `${covered} / ${total} (${pct}%)`;
}

export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function reasonLines(reasons: ReasonCount[]): string[] {
  return reasons.map((r) => `${r.count} × ${r.reason}`);
}

export function assertionLines(reasons: SkippedAssertionCount[]): string[] {
  return reasons.map((r) => `${r.count} × ${r.capability}: ${r.reason}`);
}
