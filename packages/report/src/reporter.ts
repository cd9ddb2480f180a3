import path from "node:path";
import type { Reporter, TestModule, Vitest } from "vitest/node";
import { collectFileErrors, collectTests } from "./collect.js";
import { findRepoRoot } from "./fs.js";
import { mergeReports } from "./merge.js";
import { REPORT_SCHEMA_VERSION, type ApiReport, type RunEnvironment, type TestRecord } from "./model.js";
import { runState, STACK_DIED_REASON } from "./run-state.js";
import { environmentFromEnv } from "./stamp.js";
import { isApiPackage, ledgerOf, writeLedger } from "./sites/ledger.js";
import { summarize } from "./summary.js";
import { writeApiReport } from "./write.js";

export interface ConformanceReporterOptions {
  /** API name, i.e. reports/<api>/; default: the vitest root's directory name (packages/apis/<api>). */
  api?: string;
  /** Default: <repo root>/reports, the repo root being the nearest dir with pnpm-workspace.yaml. */
  reportsDir?: string;
  /** Default: from LLAMA_STACK_TEST_STACK_CONFIG / _TARGET / _SETUP / _INFERENCE_MODE where set. */
  environment?: RunEnvironment;
  /** Also refresh reports/conformance.* and index.html after each run (default false: the run's CLI merges its own APIs). */
  merge?: boolean;
  /** Clock for generatedAt (tests). */
  now?: () => Date;
}

/**
 * Vitest reporter writing the conformance report of one API package's run:
 * reports/<api>/conformance.json, .md, .html and junit.xml. Use it next to the
 * default reporter: `reporters: ["default", new ConformanceReporter({ api })]`.
 */
export class ConformanceReporter implements Reporter {
  private vitest: Vitest | undefined;
  /** The last report written, for callers that run vitest programmatically. */
  lastReport: ApiReport | undefined;

  constructor(private readonly options: ConformanceReporterOptions = {}) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    const root = this.vitest?.config.root ?? process.cwd();
    const repoRoot = findRepoRoot(root);
    const api = this.options.api ?? path.basename(root);
    const collect = { rootDir: repoRoot, testNamePattern: this.vitest?.config.testNamePattern };
    const state = runState();
    // The globalSetup wrote the not-run report; there are no results to overwrite it with.
    if (state.notRun) return;
    const died = state.stackDied;
    const tests = collectTests(testModules, collect).map(({ endedAt, ...t }): TestRecord => {
      // A test that failed once the stack was gone says nothing about conformance.
      if (!died || t.status !== "failed" || (endedAt ?? Infinity) < died.at) return t;
      const { error: _error, ...rest } = t;
      return { ...rest, status: "skipped", skipReason: STACK_DIED_REASON };
    });
    const fileErrors = collectFileErrors(testModules, collect);
    const summary = summarize(api, tests, fileErrors);
    if (died) summary.errors += 1;
    const report: ApiReport = {
      schemaVersion: REPORT_SCHEMA_VERSION,
      api,
      generatedAt: (this.options.now?.() ?? new Date()).toISOString(),
      environment: this.options.environment ?? environmentFromEnv(repoRoot),
      summary,
      fileErrors,
      tests,
      ...(died ? { stackDied: died.message } : {}),
    };
    const reportsDir = this.options.reportsDir ?? path.join(repoRoot, "reports");
    await writeApiReport(report, reportsDir);
    // Only API packages' gates are accounted (the committed list covers packages/apis).
    if (isApiPackage(repoRoot, root)) await writeLedger(reportsDir, ledgerOf(api, report.environment, tests, new Date(report.generatedAt)));
    if (this.options.merge ?? false) await mergeReports(reportsDir);
    this.lastReport = report;
  }
}
