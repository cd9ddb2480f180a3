/**
 * What the stack lifecycle learned during a package's run that its reporter must print into the
 * report: the stack never started, or it died mid-run. vitest loads the globalSetup and the reporters
 * through different module graphs, so the state lives on a process-wide symbol.
 */
export interface RunState {
  /** The stack could not start: nothing was tested. */
  notRun?: string;
  /** The stack under test exited mid-run: when, and the message naming it (log tail and path). */
  stackDied?: { at: number; message: string };
}

const KEY = Symbol.for("llama-stack-tests.run-state");

export function runState(): RunState {
  const holder = globalThis as unknown as Record<symbol, RunState | undefined>;
  return (holder[KEY] ??= {});
}

/** Reason of a test that failed after the stack under test died: not a conformance result. */
export const STACK_DIED_REASON = "not run: the stack under test died (see the report's header)";
