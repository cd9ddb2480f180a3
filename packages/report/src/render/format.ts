import type { ApiSummary, FunctionCoverage, ReasonCount, SkippedAssertionCount } from "../model.js";

export type Verdict = "error" | "fail" | "partial" | "pass" | "not-run";

/** One word per API for colour-coding: could not test, failures, then gaps, then clean. */
export function verdictOf(summary: ApiSummary, reported = true, notRun?: string): Verdict {
  if (!reported) return "not-run";
  if (notRun) return "error";
  if (summary.failed > 0 || summary.errors > 0) return "fail";
  const { covered, total } = summary.upstreamFunctions;
  if (summary.skipped > 0 || summary.skippedAssertions > 0 || (total !== null && covered < total)) return "partial";
  return summary.tests > 0 ? "pass" : "partial";
}

export const VERDICT_LABEL: Record<Verdict, string> = {
  error: "could not run",
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

/** The report's problems beyond test results, one line each: the package could not test, or its stack died. */
export function problemLines(report: { notRun?: string; stackDied?: string }): string[] {
  return [
    ...(report.notRun ? [`not run: ${report.notRun}`] : []),
    ...(report.stackDied ? [`the stack under test died: ${report.stackDied}`] : []),
  ];
}
