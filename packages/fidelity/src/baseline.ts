/** The committed baseline: tests that hit (and passed on real output) before; losing one fails CI. */
import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "@llama-stack-tests/recording";
import type { FidelityBaseline, FidelityReport } from "./model.js";

export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BaselineError";
  }
}

export interface BaselineVerdict {
  /** Tests that hit in the baseline and now miss (or no longer send provider requests). */
  lostHits: string[];
  /** Tests that passed on real output in the baseline and now do not. */
  lostPasses: string[];
  /** Tests hitting now that the baseline does not list: update it to lock them in. */
  newHits: string[];
}

export function readBaseline(file: string): FidelityBaseline {
  if (!existsSync(file)) {
    throw new BaselineError(`Fidelity baseline ${file} does not exist: write it with --write-fidelity-baseline=${file}`);
  }
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<FidelityBaseline>;
  if (!Array.isArray(parsed.hittingTests) || !Array.isArray(parsed.passingTests) || typeof parsed.setup !== "string") {
    throw new BaselineError(`${file} is not a fidelity baseline (setup, suite, hittingTests, passingTests): rewrite it with --write-fidelity-baseline=${file}`);
  }
  return parsed as FidelityBaseline;
}

export function baselineOf(report: FidelityReport): FidelityBaseline {
  return { setup: report.setup, suite: report.suite, hittingTests: report.hittingTests, passingTests: report.passingTests };
}

export function writeBaseline(file: string, report: FidelityReport): void {
  writeFileAtomic(file, `${JSON.stringify(baselineOf(report), null, 2)}\n`);
}

export function compareWithBaseline(report: FidelityReport, baseline: FidelityBaseline): BaselineVerdict {
  if (baseline.setup !== report.setup || baseline.suite !== report.suite) {
    throw new BaselineError(`The baseline is for suite ${baseline.suite} / setup ${baseline.setup}, this run is ${report.suite} / ${report.setup}: pass that setup's baseline`);
  }
  const hitting = new Set(report.hittingTests);
  const passing = new Set(report.passingTests);
  const known = new Set(baseline.hittingTests);
  return {
    lostHits: baseline.hittingTests.filter((t) => !hitting.has(t)),
    lostPasses: baseline.passingTests.filter((t) => hitting.has(t) && !passing.has(t)),
    newHits: report.hittingTests.filter((t) => !known.has(t)),
  };
}
