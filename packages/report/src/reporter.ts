import path from "node:path";
import type { Reporter, TestModule, Vitest } from "vitest/node";
import { collectFileErrors, collectTests } from "./collect.js";
import { findRepoRoot } from "./fs.js";
import { mergeReports } from "./merge.js";
import { REPORT_SCHEMA_VERSION, type ApiReport, type RunEnvironment } from "./model.js";
import { summarize } from "./summary.js";
import { writeApiReport } from "./write.js";

export interface ConformanceReporterOptions {
  /** API name, i.e. reports/<api>/; default: the vitest root's directory name (packages/apis/<api>). */
  api?: string;
  /** Default: <repo root>/reports, the repo root being the nearest dir with pnpm-workspace.yaml. */
  reportsDir?: string;
  /** Default: from LLAMA_STACK_TEST_STACK_CONFIG / _TARGET / _SETUP / _INFERENCE_MODE where set. */
  environment?: RunEnvironment;
  /** Also refresh reports/conformance.* and index.html after each run (default true). */
  merge?: boolean;
  /** Clock for generatedAt (tests). */
  now?: () => Date;
}

function environmentFromEnv(): RunEnvironment {
  const env: RunEnvironment = {};
  if (process.env.LLAMA_STACK_TEST_STACK_CONFIG) env.stackConfig = process.env.LLAMA_STACK_TEST_STACK_CONFIG;
  // The embedded stack is no release of a server; any other stack is the target the run named.
  const stack = env.stackConfig ?? "embedded";
  if (process.env.LLAMA_STACK_TEST_TARGET && stack !== "embedded") env.target = process.env.LLAMA_STACK_TEST_TARGET;
  if (process.env.LLAMA_STACK_TEST_SETUP) env.setup = process.env.LLAMA_STACK_TEST_SETUP;
  if (process.env.LLAMA_STACK_TEST_INFERENCE_MODE) env.inferenceMode = process.env.LLAMA_STACK_TEST_INFERENCE_MODE;
  return env;
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
    const tests = collectTests(testModules, collect);
    const fileErrors = collectFileErrors(testModules, collect);
    const report: ApiReport = {
      schemaVersion: REPORT_SCHEMA_VERSION,
      api,
      generatedAt: (this.options.now?.() ?? new Date()).toISOString(),
      environment: this.options.environment ?? environmentFromEnv(),
      summary: summarize(api, tests, fileErrors),
      fileErrors,
      tests,
    };
    const reportsDir = this.options.reportsDir ?? path.join(repoRoot, "reports");
    await writeApiReport(report, reportsDir);
    if (this.options.merge ?? true) await mergeReports(reportsDir);
    this.lastReport = report;
  }
}
