import fs from "node:fs";
import path from "node:path";
import type { ApiReport } from "@llama-stack-tests/report";
import { ParityError } from "./errors.js";
import type { RunSnapshot, StackOutcome } from "./model.js";

export interface SnapshotInput {
  reportsDir: string;
  /** The suite's API packages (reports/<api>/conformance.json each). */
  apis: readonly string[];
  stack: string;
  stackConfig: string;
  setup: string;
  suite: string;
  wallSeconds?: number;
}

function firstLine(text: string | undefined): string | undefined {
  return text?.split("\n").find((l) => l.trim() !== "")?.trim().slice(0, 300);
}

/**
 * Collects the per-API conformance reports of the run that just finished. Each must be the run's own
 * (same stack config and setup): a stale report of another run would make parity lie.
 */
export function takeSnapshot(input: SnapshotInput): RunSnapshot {
  const snapshot: RunSnapshot = {
    stack: input.stack,
    stackConfig: input.stackConfig,
    setup: input.setup,
    suite: input.suite,
    ...(input.wallSeconds !== undefined ? { wallSeconds: input.wallSeconds } : {}),
    apis: {},
    outcomes: {},
  };
  for (const api of input.apis) {
    const file = path.join(input.reportsDir, api, "conformance.json");
    if (!fs.existsSync(file)) throw new ParityError(`${file} is missing: the ${api} package did not report (run the suite first)`);
    const report = JSON.parse(fs.readFileSync(file, "utf8")) as ApiReport;
    const env = report.environment;
    if (env.stackConfig !== input.stackConfig || env.setup !== input.setup) {
      throw new ParityError(
        `${file} is from another run (stack ${env.stackConfig ?? "?"}, setup ${env.setup ?? "?"}; expected ${input.stackConfig}, ${input.setup}): re-run the suite`,
      );
    }
    for (const t of report.tests) {
      const detail = t.status === "skipped" ? t.skipReason : t.status === "failed" ? firstLine(t.error) : undefined;
      const outcome: StackOutcome = { status: t.status, ...(detail ? { detail } : {}) };
      snapshot.outcomes[t.id] = outcome;
      snapshot.apis[t.id] = api;
    }
    for (const e of report.fileErrors) {
      const id = `${e.file} (file error)`;
      snapshot.outcomes[id] = { status: "failed", detail: firstLine(e.message) ?? "file error" };
      snapshot.apis[id] = api;
    }
  }
  return snapshot;
}

export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

export function readJson<T>(file: string, what: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new ParityError(`${what} ${file} does not exist`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new ParityError(`${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}
