/** Recordings on disk: <dir>/<api>/<hash>.json (also reads upstream's <dir>/<api>/recordings/<hash>.json). */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { RecordingFileError } from "./errors.js";
import { readRecording, serializeRecording, writeFileAtomic } from "./files.js";
import { apiFolderForTestId, recordingFileName, type RecordingFile } from "./format.js";
import { RecordingIndex, type IndexRow } from "./index-db.js";

export interface FoundRecording {
  rel: string;
  rec: RecordingFile;
}

export class RecordingStore {
  readonly index: RecordingIndex;

  constructor(readonly dir: string, opts: { inMemoryIndex?: boolean } = {}) {
    this.index = new RecordingIndex(dir, { inMemory: opts.inMemoryIndex });
    this.index.sync();
  }

  /** Folders searched for a test, in order: its API folder, then the session-level fallback. */
  private foldersFor(testId: string | null): string[] {
    const api = apiFolderForTestId(testId);
    return api === "common" ? ["common"] : [api, "common"];
  }

  private candidateDirs(testId: string | null): string[] {
    return this.foldersFor(testId).flatMap((f) => [f, `${f}/recordings`]);
  }

  /** The recording for a (non model-list) hash, or null. Files written by other processes are found too. */
  find(hash: string, testId: string | null): FoundRecording | null {
    const folders = this.foldersFor(testId);
    const rank = (r: IndexRow) => {
      const i = folders.indexOf(r.folder);
      return i < 0 ? folders.length : i;
    };
    const rows = this.index.lookup(hash).filter((r) => !r.model_list).sort((a, b) => rank(a) - rank(b));
    for (const row of rows) {
      try {
        return { rel: row.rel, rec: readRecording(join(this.dir, row.rel)) };
      } catch (e) {
        if (e instanceof RecordingFileError && existsSync(join(this.dir, row.rel))) throw e;
        // Deleted since indexed: fall through to the disk check.
      }
    }
    for (const d of this.candidateDirs(testId)) {
      const rel = `${d}/${hash}.json`;
      if (existsSync(join(this.dir, rel))) {
        this.index.note(rel);
        return { rel, rec: readRecording(join(this.dir, rel)) };
      }
    }
    return null;
  }

  /** Every model-list recording with this hash visible to the test (one per distinct model set). */
  findModelLists(hash: string, testId: string | null): FoundRecording[] {
    const out: FoundRecording[] = [];
    const prefix = `models-${hash}-`;
    for (const d of this.candidateDirs(testId)) {
      let names: string[];
      try {
        names = readdirSync(join(this.dir, d));
      } catch {
        continue;
      }
      for (const n of names.filter((x) => x.startsWith(prefix) && x.endsWith(".json")).sort()) {
        out.push({ rel: `${d}/${n}`, rec: readRecording(join(this.dir, d, n)) });
      }
    }
    return out;
  }

  /** Writes atomically into the test's API folder; returns the relative path. */
  write(hash: string, rec: RecordingFile): string {
    const rel = `${apiFolderForTestId(rec.test_id)}/${recordingFileName(hash, rec)}`;
    writeFileAtomic(join(this.dir, rel), serializeRecording(rec));
    try {
      this.index.note(rel);
    } catch {
      // The index is derived: a busy or broken index must not fail a recording; the next sync catches up.
    }
    return rel;
  }

  close(): void {
    this.index.close();
  }
}
