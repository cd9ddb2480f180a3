import type { SkippedAssertion } from "./model.js";

import type {} from "vitest";

declare module "vitest" {
  interface TaskMeta {
    /** Assertions a test did not run for lack of a setup capability; read by the conformance reporter. */
    skippedAssertions?: SkippedAssertion[];
  }
}

/** The part of vitest's task (`ctx.task`) this channel uses. */
export interface TaskWithMeta {
  meta: { skippedAssertions?: SkippedAssertion[] };
}

/**
 * Records that an assertion was skipped because the setup lacks `capability`.
 * Call from inside a test with `ctx.task`; vitest ships task.meta to reporters.
 */
export function recordSkippedAssertion(task: TaskWithMeta, capability: string, reason: string): void {
  if (!capability || !reason) {
    throw new TypeError("recordSkippedAssertion needs a capability and a reason, e.g. (task, \"answer_quality\", \"tiny model cannot answer\")");
  }
  (task.meta.skippedAssertions ??= []).push({ capability, reason });
}

/** Reads the channel defensively: meta crosses a process boundary and may hold anything. */
export function readSkippedAssertions(meta: unknown): SkippedAssertion[] {
  const list = (meta as { skippedAssertions?: unknown } | undefined)?.skippedAssertions;
  if (!Array.isArray(list)) return [];
  return list
    .filter((x): x is SkippedAssertion => typeof x?.capability === "string" && typeof x?.reason === "string")
    .map(({ capability, reason }) => ({ capability, reason }));
}
