import type { ApiSummary, FileError, ReasonCount, SkippedAssertionCount, TestRecord } from "./model.js";
import { upstreamFunctionTotal } from "./upstream-counts.js";

const UPSTREAM_ID = /^tests\/\S+\.py::/;

/** `tests/x/test_a.py::Cls::test_b[p1-p2]` -> `tests/x/test_a.py::Cls::test_b`; null for non-upstream names. */
export function upstreamFunctionOf(testId: string): string | null {
  if (!UPSTREAM_ID.test(testId)) return null;
  const params = testId.indexOf("[", testId.indexOf("::"));
  return params === -1 ? testId : testId.slice(0, params);
}

function byCount<T extends { count: number }>(a: T, b: T): number {
  return b.count - a.count;
}

function countReasons(tests: TestRecord[]): ReasonCount[] {
  const counts = new Map<string, number>();
  for (const t of tests) if (t.status === "skipped") counts.set(t.skipReason ?? "", (counts.get(t.skipReason ?? "") ?? 0) + 1);
  return [...counts].map(([reason, count]) => ({ reason, count })).sort(byCount);
}

function countSkippedAssertions(tests: TestRecord[]): SkippedAssertionCount[] {
  const counts = new Map<string, SkippedAssertionCount>();
  for (const t of tests) {
    for (const { capability, reason } of t.skippedAssertions) {
      const key = JSON.stringify([capability, reason]);
      const entry = counts.get(key) ?? { capability, reason, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
  }
  return [...counts.values()].sort(byCount);
}

/** Per-API counts, skip reasons and upstream function coverage of one run. */
export function summarize(api: string, tests: TestRecord[], fileErrors: FileError[] = []): ApiSummary {
  const functions = new Map<string, boolean>();
  for (const t of tests) {
    if (!t.upstreamFunction) continue;
    functions.set(t.upstreamFunction, (functions.get(t.upstreamFunction) ?? true) && t.status === "passed");
  }
  const skippedAssertionsByReason = countSkippedAssertions(tests);
  return {
    tests: tests.length,
    passed: tests.filter((t) => t.status === "passed").length,
    failed: tests.filter((t) => t.status === "failed").length,
    skipped: tests.filter((t) => t.status === "skipped").length,
    errors: fileErrors.length,
    durationMs: Math.round(tests.reduce((sum, t) => sum + t.durationMs, 0)),
    skippedByReason: countReasons(tests),
    skippedAssertions: skippedAssertionsByReason.reduce((sum, r) => sum + r.count, 0),
    skippedAssertionsByReason,
    upstreamFunctions: {
      covered: functions.size,
      passing: [...functions.values()].filter(Boolean).length,
      total: upstreamFunctionTotal(api),
    },
  };
}

/** Adds summaries (for the all-API totals row). */
export function addSummaries(summaries: ApiSummary[]): ApiSummary {
  const reasons = new Map<string, number>();
  const assertions = new Map<string, SkippedAssertionCount>();
  for (const s of summaries) {
    for (const r of s.skippedByReason) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + r.count);
    for (const a of s.skippedAssertionsByReason) {
      const key = JSON.stringify([a.capability, a.reason]);
      const entry = assertions.get(key) ?? { capability: a.capability, reason: a.reason, count: 0 };
      entry.count += a.count;
      assertions.set(key, entry);
    }
  }
  const sum = (pick: (s: ApiSummary) => number) => summaries.reduce((acc, s) => acc + pick(s), 0);
  return {
    tests: sum((s) => s.tests),
    passed: sum((s) => s.passed),
    failed: sum((s) => s.failed),
    skipped: sum((s) => s.skipped),
    errors: sum((s) => s.errors),
    durationMs: sum((s) => s.durationMs),
    skippedByReason: [...reasons].map(([reason, count]) => ({ reason, count })).sort(byCount),
    skippedAssertions: sum((s) => s.skippedAssertions),
    skippedAssertionsByReason: [...assertions.values()].sort(byCount),
    upstreamFunctions: {
      covered: sum((s) => s.upstreamFunctions.covered),
      passing: sum((s) => s.upstreamFunctions.passing),
      total: sum((s) => s.upstreamFunctions.total ?? 0),
    },
  };
}
