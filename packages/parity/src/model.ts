import type { TestStatus } from "@llama-stack-tests/report";

/** One test's outcome on one stack. */
export interface StackOutcome {
  status: TestStatus;
  /** Skip reason, or the first line of the failure. */
  detail?: string;
}

/** Every test outcome of one suite run on one stack: reports/parity/<setup>-<stack>.json. */
export interface RunSnapshot {
  /** `embedded` or `real-server` (any label; two are compared). */
  stack: string;
  stackConfig: string;
  setup: string;
  suite: string;
  /** Wall time of the suite run, when the caller measured it. */
  wallSeconds?: number;
  /** test id -> api */
  apis: Record<string, string>;
  outcomes: Record<string, StackOutcome>;
}

/**
 * Why two stacks disagree on a test; decided by a person, committed in parity/<setup>.json. Besides
 * defects on either side and spec ambiguity: a provider difference (the stacks serve the setup's model
 * through different provider types, which upstream's tests gate on) and a version difference (the API
 * changed between the commit the ports follow and the server's release).
 */
export const DISAGREEMENT_CLASSES = [
  "embedded-stack defect",
  "port defect",
  "real-server bug",
  "spec ambiguity",
  "provider difference",
  "version difference",
] as const;
export type DisagreementClass = (typeof DISAGREEMENT_CLASSES)[number];

export interface Classification {
  class: DisagreementClass;
  /** What shows it: a log line, a response, the spec's words. */
  evidence: string;
}

/** parity/<setup>.json: test id (or upstream function, the id without [params]) -> classification. */
export type Classifications = Record<string, Classification>;

export interface ParityRow {
  id: string;
  api: string;
  left?: StackOutcome;
  right?: StackOutcome;
  /** Same status on both stacks (a test run on only one never agrees). */
  agree: boolean;
  /** Disagreements only: the committed classification, or undefined when nobody has classified it yet. */
  classification?: Classification;
}

export interface ParityReport {
  setup: string;
  suite: string;
  left: { stack: string; stackConfig: string; wallSeconds?: number };
  right: { stack: string; stackConfig: string; wallSeconds?: number };
  totals: {
    tests: number;
    agree: number;
    disagree: number;
    unclassified: number;
    byClass: Partial<Record<DisagreementClass, number>>;
    left: Record<TestStatus, number>;
    right: Record<TestStatus, number>;
  };
  rows: ParityRow[];
}
