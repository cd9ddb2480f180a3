/**
 * Recordings a record run no longer asks for: files in the API folders the run covered whose hash no
 * request of its traffic logs names (a recorded request writes <hash>.json, a replayed one names its
 * file, both by hash). `recordings prune` judges by test id only, so it keeps the later turns of a
 * test whose requests changed; this judges by request.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { listRecordingFiles, readRecording } from "./files.js";
import { readTrafficLog } from "./traffic.js";

export interface UnrequestedOptions {
  /** The recordings dir the run recorded into (or a copy of it). */
  dir: string;
  /** The run's traffic logs, one per package; each must exist (a package that ran has one, maybe empty). */
  trafficLogs: string[];
  /** API folders (recordings/<folder>) the run covered; files elsewhere are not judged. */
  folders: string[];
  /**
   * Files (relative to `dir`) other stacks request and this run does not (a real server's own): never
   * reported. Model lists are never reported either: a real server asks for one per test.
   */
  keep: Set<string>;
}

export interface UnrequestedFile {
  rel: string;
  testId: string | null;
}

export class UnrequestedInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnrequestedInputError";
  }
}

const MODEL_LIST = /(^|\/)models-[0-9a-f]{64}-[^/]*\.json$/;

/** The keep list's entries: one path per line relative to the recordings dir; '#' starts a comment. */
export function readKeepList(file: string): Set<string> {
  if (!existsSync(file)) throw new UnrequestedInputError(`keep list ${file} does not exist`);
  return new Set(
    readFileSync(file, "utf8")
      .split("\n")
      .map((line) => line.replace(/#.*/, "").trim())
      .filter(Boolean),
  );
}

/** Keep-list entries with no file: the list must not outlive what it names. */
export function missingKeepEntries(dir: string, keep: Set<string>): string[] {
  return [...keep].filter((rel) => !existsSync(join(dir, rel))).sort();
}

export function unrequestedRecordings(opts: UnrequestedOptions): UnrequestedFile[] {
  const requested = new Set<string>();
  for (const log of opts.trafficLogs) {
    if (!existsSync(log)) throw new UnrequestedInputError(`traffic log ${log} does not exist: its package did not run, so what it requests is unknown`);
    for (const event of readTrafficLog(log)) if (event.hash) requested.add(event.hash);
  }
  const folders = new Set(opts.folders);
  return listRecordingFiles(opts.dir)
    .filter((f) => folders.has(f.folder) && !requested.has(f.hash) && !MODEL_LIST.test(f.rel) && !opts.keep.has(f.rel))
    .map((f) => {
      let testId: string | null = null;
      try {
        testId = readRecording(join(opts.dir, f.rel)).test_id ?? null;
      } catch {
        // Unreadable: still unrequested; `recordings verify` names what is wrong with it.
      }
      return { rel: f.rel, testId };
    })
    .sort((a, b) => a.rel.localeCompare(b.rel));
}
