/** The fidelity report's data model: how closely a stack's provider requests match upstream's recordings. */

export const FIDELITY_SCHEMA_VERSION = 1;

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
}

/** fidelity/<setup>.json in the repository: what must keep hitting and passing. */
export interface FidelityBaseline {
  setup: string;
  suite: string;
  hittingTests: string[];
  passingTests: string[];
}
