/**
 * Known gaps: the tests a fidelity pair is allowed to fail, each with its cause. A failure the file does
 * not list (or lists with another cause) fails the run, and so does a listed test that no longer fails,
 * so the file always says exactly what fails and why.
 */
import { existsSync, readFileSync } from "node:fs";
import type { TestStatus } from "@llama-stack-tests/report";
import { writeFileAtomic } from "@llama-stack-tests/recording";
import { BaselineError } from "./baseline.js";
import { FAILURE_CAUSE_TEXT, type FailedTest, type FailureCause, type FidelityReport, type KnownGap, type KnownGaps, type MissCause, type StaleGap } from "./model.js";

/** Which miss explains a failing test best: the recording was never made, then how the request differs; model lists last. */
const CAUSE_PRIORITY: readonly MissCause[] = [
  "test-not-recorded",
  "embeddings-never-recorded",
  "endpoint",
  "model-id",
  "message-construction",
  "embedding-input",
  "tool-definitions",
  "response-format",
  "id-allocation",
  "default-parameters",
  "request-not-logged",
  "model-list",
];

/** The cause of a failed test from the causes of its misses, and whether it sent the provider anything. */
export function failureCause(missCauses: readonly MissCause[], sentRequests: boolean): FailureCause {
  const first = CAUSE_PRIORITY.find((c) => missCauses.includes(c));
  if (first) return first;
  return sentRequests ? "fails-on-real-output" : "no-provider-request";
}

/** fidelity/<setup>.json's known gaps live next to it: fidelity/<setup>.known-gaps.json. */
export function knownGapsPath(baselineFile: string): string {
  return baselineFile.replace(/(\.json)?$/, ".known-gaps.json");
}

/** Null when the pair has no known-gaps file yet (its failures are then reported, not held). */
export function readKnownGaps(file: string): KnownGaps | null {
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<KnownGaps>;
  const causes = new Set(Object.keys(FAILURE_CAUSE_TEXT));
  if (typeof parsed.setup !== "string" || !Array.isArray(parsed.gaps) || !parsed.gaps.every((g) => typeof g?.test === "string" && causes.has(g.cause))) {
    throw new BaselineError(`${file} is not a known-gaps file (setup, suite, gaps: [{test, cause}] with a cause of ${[...causes].join(", ")}): rewrite it with --write-fidelity-baseline`);
  }
  return parsed as KnownGaps;
}

export function writeKnownGaps(file: string, report: FidelityReport): void {
  const gaps: KnownGaps = {
    setup: report.setup,
    suite: report.suite,
    gaps: report.failures.map((f) => ({ test: f.test, cause: f.cause, ...(f.error ? { error: f.error } : {}) })),
  };
  writeFileAtomic(file, `${JSON.stringify(gaps, null, 2)}\n`);
}

/** Listed gaps that did not fail as listed in this run. */
export function staleGaps(gaps: readonly KnownGap[], failures: readonly FailedTest[], statuses: ReadonlyMap<string, TestStatus>): StaleGap[] {
  const failed = new Map(failures.map((f) => [f.test, f.cause]));
  const stale: StaleGap[] = [];
  for (const g of gaps) {
    const cause = failed.get(g.test);
    if (cause === g.cause) continue;
    stale.push({ test: g.test, listedCause: g.cause, now: cause ?? statuses.get(g.test) ?? "not run" });
  }
  return stale;
}

export interface GapsVerdict {
  /** Failures the known gaps do not list with their cause. */
  unexplained: FailedTest[];
  stale: StaleGap[];
  ok: boolean;
}

export function gapsVerdict(report: FidelityReport): GapsVerdict {
  const unexplained = report.failures.filter((f) => !f.known);
  return { unexplained, stale: report.staleGaps, ok: unexplained.length === 0 && report.staleGaps.length === 0 };
}
