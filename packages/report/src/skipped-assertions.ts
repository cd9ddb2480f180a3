import type { SkippedAssertion } from "./model.js";
import type { GateObservation } from "./sites/model.js";

import type {} from "vitest";

declare module "vitest" {
  interface TaskMeta {
    /** Assertions a test did not run for lack of a setup capability; read by the conformance reporter. */
    skippedAssertions?: SkippedAssertion[];
    /** Capability gates the test reached (executed or not); read by the conformance reporter. */
    gates?: GateObservation[];
    /** Assertions the test made (expect calls); read by the conformance reporter. */
    assertionCalls?: number;
  }
}

/** The part of vitest's task (`ctx.task`) this channel uses. */
export interface TaskWithMeta {
  meta: { skippedAssertions?: SkippedAssertion[]; gates?: GateObservation[]; assertionCalls?: number };
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

/** Records that the test reached the gate at `file:line` (repository-relative) and whether its assertion ran. */
export function recordGate(task: TaskWithMeta, gate: GateObservation): void {
  (task.meta.gates ??= []).push(gate);
}

export function readGates(meta: unknown): GateObservation[] {
  const list = (meta as { gates?: unknown } | undefined)?.gates;
  if (!Array.isArray(list)) return [];
  return list
    .filter((x): x is GateObservation => typeof x?.file === "string" && typeof x?.line === "number" && typeof x?.capability === "string" && typeof x?.executed === "boolean")
    .map(({ file, line, capability, executed }) => ({ file, line, capability, executed }));
}

export function recordAssertionCalls(task: TaskWithMeta, count: number): void {
  task.meta.assertionCalls = count;
}

export function readAssertionCalls(meta: unknown): number | undefined {
  const n = (meta as { assertionCalls?: unknown } | undefined)?.assertionCalls;
  return typeof n === "number" ? n : undefined;
}
