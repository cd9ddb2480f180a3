import path from "node:path";
import type { TestCase, TestModule, TestSuite } from "vitest/node";
import type { FileError, TestRecord } from "./model.js";
import { readAssertionCalls, readGates, readSkippedAssertions } from "./skipped-assertions.js";
import { readTelemetryMeta } from "./telemetry-meta.js";
import { upstreamFunctionOf } from "./summary.js";

export interface CollectOptions {
  /** Paths in the report are relative to this directory (the repo root). */
  rootDir: string;
  /** The run's `-t` filter; tests it excluded are reported as such, not as unexplained skips. */
  testNamePattern?: RegExp;
}

/** Reason shown for a skip that carried no note: the test contract requires one, so this flags it. */
export const NO_SKIP_REASON = "skipped without a reason";

function firstErrorMessage(errors: ReadonlyArray<{ message: string; name?: string }> | undefined): string | undefined {
  const error = errors?.[0];
  if (!error) return undefined;
  return error.name && !error.message.startsWith(error.name) ? `${error.name}: ${error.message}` : error.message;
}

/** The nearest enclosing suite or module error: a failed beforeAll leaves its tests "skipped" with no note. */
function enclosingError(test: TestCase): string | undefined {
  let parent: TestSuite | TestModule = test.parent;
  for (;;) {
    const message = firstErrorMessage(parent.errors());
    if (message) return message;
    if (parent.type === "module") return undefined;
    parent = parent.parent;
  }
}

/** A record plus when the test ended (epoch ms), which only the reporter uses. */
export type CollectedTest = TestRecord & { endedAt?: number };

export function toTestRecord(test: TestCase, options: CollectOptions): CollectedTest {
  const diagnostic = test.diagnostic();
  const gates = readGates(test.meta());
  const assertions = readAssertionCalls(test.meta());
  const base = {
    id: test.name,
    upstreamFunction: upstreamFunctionOf(test.name),
    file: path.relative(options.rootDir, test.module.moduleId).split(path.sep).join("/"),
    durationMs: Math.round((diagnostic?.duration ?? 0) * 100) / 100,
    skippedAssertions: readSkippedAssertions(test.meta()),
    ...(diagnostic ? { endedAt: diagnostic.startTime + diagnostic.duration } : {}),
    ...readTelemetryMeta(test.meta()),
    ...(gates.length ? { gates } : {}),
    ...(assertions !== undefined ? { assertions } : {}),
  };
  const result = test.result();
  switch (result.state) {
    case "passed":
      return { ...base, status: "passed" };
    case "failed":
      return { ...base, status: "failed", error: firstErrorMessage(result.errors) ?? "failed without an error message" };
    case "pending":
      return { ...base, status: "skipped", skipReason: "not run (the run ended before this test)" };
    case "skipped": {
      if (result.note) return { ...base, status: "skipped", skipReason: result.note };
      if (test.options.mode === "todo") return { ...base, status: "skipped", skipReason: "todo" };
      const setupError = test.options.mode === "skip" ? undefined : enclosingError(test);
      if (setupError) return { ...base, status: "failed", error: `setup failed: ${setupError}` };
      if (options.testNamePattern && !options.testNamePattern.test(test.fullName)) {
        return { ...base, status: "skipped", skipReason: "not selected by the test name filter" };
      }
      return { ...base, status: "skipped", skipReason: NO_SKIP_REASON };
    }
  }
}

export function collectTests(modules: ReadonlyArray<TestModule>, options: CollectOptions): CollectedTest[] {
  return modules.flatMap((module) => [...module.children.allTests()].map((test) => toTestRecord(test, options)));
}

/** Errors of a file as a whole (e.g. it failed to import), which no test record carries. */
export function collectFileErrors(modules: ReadonlyArray<TestModule>, options: CollectOptions): FileError[] {
  return modules.flatMap((module) => {
    const message = firstErrorMessage(module.errors());
    if (!message) return [];
    return [{ file: path.relative(options.rootDir, module.moduleId).split(path.sep).join("/"), message }];
  });
}
