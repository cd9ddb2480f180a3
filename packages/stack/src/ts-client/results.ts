import path from "node:path";
import type { FileError, TestRecord } from "@llama-stack-tests/report";

/** The JSON both Jest (`--json`) and Vitest (`--reporter=json`) write: only the fields read here. */
export interface JestJsonResult {
  testResults: {
    name: string;
    message?: string;
    status?: string;
    assertionResults: { fullName: string; status: string; duration?: number | null; failureMessages?: string[] }[];
  }[];
}

/** Neither runner reports why a test was skipped; the report still carries a reason. */
export const CLIENT_SKIP_REASON = "skipped by the client test project (its runner reports no reason)";

/** Test records of a client run: ids are `<file relative to the project>::<full test name>`. */
export function clientTestRecords(result: JestJsonResult, projectDir: string): { tests: TestRecord[]; fileErrors: FileError[] } {
  const tests: TestRecord[] = [];
  const fileErrors: FileError[] = [];
  for (const file of result.testResults) {
    const rel = path.relative(projectDir, file.name).split(path.sep).join("/");
    if (file.assertionResults.length === 0 && file.status === "failed") {
      fileErrors.push({ file: rel, message: (file.message ?? "failed outside any test").split("\n")[0]! });
    }
    for (const a of file.assertionResults) {
      const status = a.status === "passed" ? "passed" : a.status === "failed" ? "failed" : "skipped";
      const record: TestRecord = { id: `${rel}::${a.fullName}`, upstreamFunction: null, file: rel, status, durationMs: a.duration ?? 0, skippedAssertions: [] };
      if (status === "skipped") record.skipReason = CLIENT_SKIP_REASON;
      if (status === "failed") record.error = (a.failureMessages?.[0] ?? "failed").split("\n")[0]!;
      tests.push(record);
    }
  }
  return { tests, fileErrors };
}
