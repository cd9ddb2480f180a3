import type { TestStatus } from "@llama-stack-tests/report";
import { ParityError } from "./errors.js";
import type { RunSnapshot } from "./model.js";

/**
 * The tests that passed in a run, kept as its outcome baseline (e.g. fidelity/real-server/embedded-base.json):
 * a later run of the same suite must pass every one of them.
 */
export interface OutcomeBaseline {
  suite: string;
  environment: { stackConfig: string; setup: string };
  counts: Record<TestStatus, number>;
  passed: string[];
}

export interface BaselineCheck {
  /** Listed as passing, and did not pass now. */
  lost: string[];
  /** Passed now, not listed: the baseline could be updated. */
  gained: number;
}

function counts(snapshot: RunSnapshot): Record<TestStatus, number> {
  const c: Record<TestStatus, number> = { passed: 0, failed: 0, skipped: 0 };
  for (const o of Object.values(snapshot.outcomes)) c[o.status]++;
  return c;
}

const passedIds = (snapshot: RunSnapshot) =>
  Object.entries(snapshot.outcomes)
    .filter(([, o]) => o.status === "passed")
    .map(([id]) => id)
    .sort();

export function baselineOf(snapshot: RunSnapshot): OutcomeBaseline {
  return {
    suite: snapshot.suite,
    environment: { stackConfig: snapshot.stackConfig, setup: snapshot.setup },
    counts: counts(snapshot),
    passed: passedIds(snapshot),
  };
}

export function checkBaseline(snapshot: RunSnapshot, baseline: OutcomeBaseline, file: string): BaselineCheck {
  if (!Array.isArray(baseline.passed)) throw new ParityError(`${file}: expected {passed: [test ids]}; write it with --write`);
  if (baseline.suite !== snapshot.suite) throw new ParityError(`${file} is the baseline of suite ${baseline.suite}, not ${snapshot.suite}`);
  const now = new Set(passedIds(snapshot));
  const lost = baseline.passed.filter((id) => !now.has(id));
  return { lost, gained: now.size - (baseline.passed.length - lost.length) };
}

export function snapshotCounts(snapshot: RunSnapshot): string {
  const c = counts(snapshot);
  return `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
}
