/**
 * The proxy's traffic log: one NDJSON line per provider request, saying how it was answered.
 * The fidelity report reads it to count, per test id, which recordings were hit and why the others missed.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export type TrafficOutcome = "hit" | "miss" | "recorded" | "forwarded";

export interface TrafficEvent {
  test_id: string | null;
  outcome: TrafficOutcome;
  hash: string;
  method: string;
  /** Path after the provider route, e.g. /v1/chat/completions (tool calls: /__tools/<provider>/<tool>). */
  endpoint: string;
  model: string;
  /** Recording file(s) that answered, relative to the recordings dir (hits only). */
  recording?: string;
  /** Misses: the closest recording of the same test id and its body diff ("path: recorded → requested"). */
  closest?: { file: string; diff: string[] } | null;
  /** Misses: the readable miss report (what was asked, the closest recording, how to record it). */
  message?: string;
  /** Who logged it: the recording proxy (absent) or a real server's builtin recorder, whose log has no request body to diff. */
  source?: "server-record-log";
}

/** Appends events to one file; each line is one write, so concurrent requests never interleave a line. */
export class TrafficLog {
  /** Empties the file first unless `append` (a log its owner emptied when its run started). */
  constructor(readonly path: string, opts: { append?: boolean } = {}) {
    mkdirSync(dirname(path), { recursive: true });
    if (!opts.append) writeFileSync(path, "");
  }

  append(event: TrafficEvent): void {
    appendFileSync(this.path, `${JSON.stringify(event)}\n`);
  }
}

/** Reads a traffic log; a missing file is an empty log (the package made no provider call). */
export function readTrafficLog(path: string): TrafficEvent[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as TrafficEvent);
}
