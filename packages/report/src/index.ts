import { ConformanceReporter } from "./reporter.js";

export { ConformanceReporter };
export type { ConformanceReporterOptions } from "./reporter.js";
export { recordTelemetryFinding, attachTrace, readTelemetryMeta, type TelemetryTask } from "./telemetry-meta.js";
export { recordAssertionCalls, readAssertionCalls, recordGate, readGates, recordSkippedAssertion, readSkippedAssertions, type TaskWithMeta } from "./skipped-assertions.js";
export * from "./sites/index.js";
export { NEVER_EXECUTED_FILE } from "./cli-main.js";
export { mergeReports, loadConformanceReport, type MergedFiles, type MergeOptions } from "./merge.js";
export { notRunReport } from "./not-run.js";
export { runState, STACK_DIED_REASON, type RunState } from "./run-state.js";
export { environmentFromEnv, formatStamp, gitCommit, runConfiguration } from "./stamp.js";
export { writeApiReport, type WrittenFiles } from "./write.js";
export { collectTests, collectFileErrors, toTestRecord, NO_SKIP_REASON, type CollectOptions } from "./collect.js";
export { summarize, addSummaries, upstreamFunctionOf } from "./summary.js";
export { renderApiMarkdown, renderMergedMarkdown } from "./render/markdown.js";
export { renderApiHtml, renderMergedHtml } from "./render/html.js";
export { renderJunit } from "./render/junit.js";
export { findRepoRoot, ReportError } from "./fs.js";
export { UPSTREAM_TEST_FUNCTIONS, UPSTREAM_COMMIT, upstreamFunctionTotal } from "./upstream-counts.js";
export * from "./model.js";


/** Default export so vitest can load the reporter by package name. */
export default ConformanceReporter;
export { runCli as runReportCli } from "./cli-main.js";
