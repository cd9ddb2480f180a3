/** The conformance report's data model: what every output format renders. */
import type { GateObservation } from "./sites/model.js";

export const REPORT_SCHEMA_VERSION = 1;

export type TestStatus = "passed" | "failed" | "skipped";

/** An assertion not run because the setup lacks a capability (e.g. answer_quality on a tiny model). */
export interface SkippedAssertion {
  capability: string;
  reason: string;
}

/**
 * Where a stack's telemetry departs from an OpenTelemetry semantic convention: reported, not failed
 * (upstream's telemetry change says its own spans do not follow the GenAI conventions yet).
 */
export interface TelemetryFinding {
  /** The span (or metric) name as emitted, e.g. "invoke_mcp_tool". */
  span: string;
  /** What the convention asks for, by its attribute or span name, e.g. "gen_ai.tool.name". */
  convention: string;
  /** What the stack emits instead. */
  observed: string;
}

/** One span of a trace view, times relative to the trace's first span. */
export interface TraceSpanView {
  spanId: string;
  /** Empty for a root; may name a span outside the view (e.g. the test's own remote parent). */
  parentSpanId: string;
  name: string;
  kind: string;
  startUs: number;
  durationUs: number;
  status: string;
  attributes: Record<string, string>;
}

/** A trace a test drove, for the report's timeline. */
export interface TraceView {
  traceId: string;
  /** What the test did in it, e.g. "streamed chat completion". */
  title: string;
  spans: TraceSpanView[];
}

export interface TestRecord {
  /** The vitest test name: the full upstream test id, params included. */
  id: string;
  /** `path.py::[Class::]test_fn` without params; null for tests that are not upstream ports. */
  upstreamFunction: string | null;
  /** Test file, relative to the repo root. */
  file: string;
  status: TestStatus;
  durationMs: number;
  /** Present when skipped. */
  skipReason?: string;
  /** First error message, when failed. */
  error?: string;
  skippedAssertions: SkippedAssertion[];
  /** Telemetry tests: departures from the OpenTelemetry conventions. */
  findings?: TelemetryFinding[];
  /** Telemetry tests: the traces they drove. */
  traces?: TraceView[];
  /** Every capability gate the test reached, where it is, and whether its assertion ran. */
  gates?: GateObservation[];
  /** Assertions the test made, where the harness counted them (upstream ports). */
  assertions?: number;
}

/** A test file that failed outside any test (import error, failing hook). */
export interface FileError {
  file: string;
  message: string;
}

export interface ReasonCount {
  reason: string;
  count: number;
}

export interface SkippedAssertionCount extends SkippedAssertion {
  count: number;
}

export interface FunctionCoverage {
  /** Distinct upstream test functions with at least one case in the run. */
  covered: number;
  /** Of those, functions whose every case passed. */
  passing: number;
  /** Upstream's count for this API; null when upstream has no such test directory. */
  total: number | null;
}

export interface ApiSummary {
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  /** File-level errors (not counted in `failed`). */
  errors: number;
  durationMs: number;
  skippedByReason: ReasonCount[];
  skippedAssertions: number;
  skippedAssertionsByReason: SkippedAssertionCount[];
  upstreamFunctions: FunctionCoverage;
}

/** The run's stamp: where it happened, as the harness resolved it (env LLAMA_STACK_TEST_*), and at which commit. */
export interface RunEnvironment {
  stackConfig?: string;
  /** The real server's product@version (LLAMA_STACK_TEST_TARGET); absent for the embedded stack. */
  target?: string;
  setup?: string;
  inferenceMode?: string;
  /** Set when the run replayed or recorded somewhere other than the project's own recordings. */
  recordingsDir?: string;
  /** `git rev-parse HEAD` of the checkout that ran the tests. */
  commit?: string;
}

/** reports/<api>/conformance.json */
export interface ApiReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  api: string;
  generatedAt: string;
  environment: RunEnvironment;
  summary: ApiSummary;
  fileErrors: FileError[];
  tests: TestRecord[];
  /** Set when the package could not test at all (its stack did not start): the cause. Counted as an error. */
  notRun?: string;
  /** Set when the stack under test exited mid-run: what happened, its log tail and path. */
  stackDied?: string;
}

export interface MergedApiEntry {
  api: string;
  /** False when no reports/<api>/conformance.json exists (API not run yet). */
  reported: boolean;
  generatedAt?: string;
  environment?: RunEnvironment;
  summary: ApiSummary;
  notRun?: string;
  stackDied?: string;
}

/** reports/conformance.json */
export interface ConformanceReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generatedAt: string;
  /**
   * Distinct run configurations (stack, setup, mode, recordings) among the reported APIs, as
   * "stack X, setup Y, mode Z". More than one means the merge mixes runs; the CLI refuses that.
   */
  runs: string[];
  apis: MergedApiEntry[];
  totals: ApiSummary;
}
