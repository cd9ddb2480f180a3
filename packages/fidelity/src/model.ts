/** The fidelity report's data model: how closely a stack's provider requests match upstream's recordings. */

export const FIDELITY_SCHEMA_VERSION = 2;

/** Why a request the stack sent found no recording. */
export type MissCause =
  | "model-list"
  | "embeddings-never-recorded"
  | "test-not-recorded"
  | "endpoint"
  | "id-allocation"
  | "message-construction"
  | "tool-definitions"
  | "response-format"
  | "embedding-input"
  | "model-id"
  | "default-parameters"
  | "request-not-logged";

export const MISS_CAUSE_TEXT: Readonly<Record<MissCause, string>> = {
  "model-list": "model-list handling (GET /v1/models, /api/tags)",
  "embeddings-never-recorded": "embeddings upstream computed live (inline provider) and never recorded",
  "test-not-recorded": "no upstream recording for this test id and setup",
  endpoint: "request went to another endpoint than upstream's",
  "id-allocation": "object ids differ (id allocation)",
  "message-construction": "message construction (messages, prompt, input)",
  "tool-definitions": "tool definitions or tool_choice",
  "response-format": "response_format / structured output",
  "embedding-input": "embedding input (chunking, query text)",
  "model-id": "provider model id",
  "default-parameters": "default parameters (temperature, max_tokens, stream_options, ...)",
  "request-not-logged": "request differs from every recording of its test (a real server's recorder logs no body to diff)",
};

export interface MissEntry {
  testId: string | null;
  endpoint: string;
  model: string;
  hash: string;
  cause: MissCause;
  /** Closest recording of the same test id, relative to the recordings dir, and its body diff. */
  closest: { file: string; diff: string[] } | null;
}

/** Why an available recording was not hit. */
export type UnhitReason = "test-not-in-run" | "test-skipped" | "superseded" | "test-ran-without-it";

export const UNHIT_REASON_TEXT: Readonly<Record<UnhitReason, string>> = {
  "test-not-in-run": "its test is not ported or not in this suite",
  "test-skipped": "its test was skipped",
  superseded: "its test hit another recording at this endpoint (upstream keeps recordings of earlier versions of a test)",
  "test-ran-without-it": "its test ran but never sent this request",
};

export interface UnhitGroup {
  reason: UnhitReason;
  count: number;
  /** Distinct test ids (null: session-level recording). */
  tests: (string | null)[];
}

export interface ApiFidelity {
  api: string;
  /** Upstream recordings of this API made with the setup's providers (model lists excluded). */
  available: number;
  /** Distinct available recordings the run replayed. */
  hit: number;
  /** Tests that sent provider requests, every one hitting, and then passed / failed on that real output. */
  passed: number;
  failed: number;
  /** Tests with at least one miss. */
  testsWithMisses: number;
  misses: MissEntry[];
  unhit: UnhitGroup[];
}

/**
 * Why a test of the run failed, in the miss classes above: the class of its highest-priority miss, or,
 * when every provider request hit, that its assertions failed on upstream's real output, or that it
 * failed without sending the provider anything (a stack or port defect independent of the recordings).
 */
export type FailureCause = MissCause | "fails-on-real-output" | "no-provider-request";

export const FAILURE_CAUSE_TEXT: Readonly<Record<FailureCause, string>> = {
  ...MISS_CAUSE_TEXT,
  "fails-on-real-output": "every request hit, and an assertion failed on upstream's real output",
  "no-provider-request": "failed without sending the provider a request",
};

/** A test that failed in the run. */
export interface FailedTest {
  test: string;
  api: string;
  cause: FailureCause;
  /** First line of the first error, for the reader. */
  error: string;
  /** True when the pair's known-gaps file lists it with this cause. */
  known: boolean;
}

/** A known gap that did not fail as listed: it passed, was skipped, was not run, or fails for another cause. */
export interface StaleGap {
  test: string;
  listedCause: FailureCause;
  /** "passed", "skipped", "not run", or the cause it fails for now. */
  now: string;
}

export interface FidelityReport {
  schemaVersion: typeof FIDELITY_SCHEMA_VERSION;
  generatedAt: string;
  setup: string;
  suite: string;
  /** The stack that sent the requests (embedded TypeScript stack, real server, ...): the report measures our ports through it. */
  stack: string;
  recordingsDir: string;
  apis: ApiFidelity[];
  totals: { available: number; hit: number; passed: number; failed: number; testsWithMisses: number };
  /** Test ids whose every provider request hit, and those of them that passed: what a baseline keeps. */
  hittingTests: string[];
  passingTests: string[];
  /** Every failed test with its cause; each must be a known gap of the pair. */
  failures: FailedTest[];
  /** Known gaps that no longer fail as listed (only when the run was given the known gaps). */
  staleGaps: StaleGap[];
}

/** One entry of a pair's known-gaps file: a test that fails on this pair, and why. */
export interface KnownGap {
  test: string;
  cause: FailureCause;
  /** The error when the gap was written (informative; not compared). */
  error?: string;
}

/** fidelity/<setup>.known-gaps.json next to the baseline: every test allowed to fail, with its cause. */
export interface KnownGaps {
  setup: string;
  suite: string;
  gaps: KnownGap[];
}

/** fidelity/<setup>.json in the repository: what must keep hitting and passing. */
export interface FidelityBaseline {
  setup: string;
  suite: string;
  hittingTests: string[];
  passingTests: string[];
}
