/**
 * SQLite index derived from the recording files (the files stay the source of truth). Synced by
 * comparing each file's size and mtime with the indexed row; only changed files are re-read.
 */
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { listRecordingFiles, folderOf } from "./files.js";
import { hashFromFileName } from "./format.js";

export interface IndexRow {
  rel: string;
  hash: string;
  folder: string;
  test_id: string | null;
  endpoint: string | null;
  model: string | null;
  is_streaming: number;
  status: number;
  model_list: number;
  /** Why the file could not be read, when it could not. */
  error: string | null;
  mtime_ms: number;
  size: number;
}

export interface SyncResult {
  added: number;
  updated: number;
  removed: number;
  total: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS files (
  rel TEXT PRIMARY KEY, hash TEXT NOT NULL, folder TEXT NOT NULL, test_id TEXT, endpoint TEXT, model TEXT,
  is_streaming INTEGER NOT NULL, status INTEGER NOT NULL, model_list INTEGER NOT NULL, error TEXT,
  mtime_ms REAL NOT NULL, size INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS files_hash ON files(hash);
CREATE INDEX IF NOT EXISTS files_test ON files(test_id);
`;

/** The checkout `dir` lies in (the nearest ancestor with pnpm-workspace.yaml), if any. */
function checkoutOf(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, "pnpm-workspace.yaml"))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/**
 * Where the index of `dir` lives: never inside the tree it indexes (that tree may be read-only, shared
 * or under version control). In the checkout's .cache/ for recordings inside a checkout, else in a
 * per-user temp cache; null (in memory) for a recordings dir that is itself temporary.
 */
export function indexPathFor(dir: string): string | null {
  const abs = existsSync(dir) ? realpathSync(dir) : resolve(dir);
  const checkout = checkoutOf(abs);
  if (!checkout && abs.startsWith(realpathSync(tmpdir()) + sep)) return null;
  const cache = checkout ? join(checkout, ".cache", "recordings-index") : join(tmpdir(), "llama-stack-recordings-index");
  mkdirSync(cache, { recursive: true });
  return join(cache, `${createHash("sha256").update(abs).digest("hex").slice(0, 16)}.sqlite`);
}

function describe(dir: string, rel: string, mtimeMs: number, size: number): IndexRow {
  const hash = hashFromFileName(rel.slice(rel.lastIndexOf("/") + 1)) ?? "";
  const base = { rel, hash, folder: folderOf(rel), mtime_ms: mtimeMs, size };
  try {
    const rec = JSON.parse(readFileSync(join(dir, rel), "utf8"));
    const req = rec?.request ?? {};
    const endpoint: string | null = typeof req.endpoint === "string" ? req.endpoint : typeof req.tool_name === "string" ? `tool:${req.provider}/${req.tool_name}` : null;
    return {
      ...base,
      test_id: rec?.test_id ?? null,
      endpoint,
      model: typeof req.model === "string" ? req.model : null,
      is_streaming: rec?.response?.is_streaming ? 1 : 0,
      status: typeof rec?.response?.status === "number" ? rec.response.status : 200,
      model_list: rel.slice(rel.lastIndexOf("/") + 1).startsWith("models-") ? 1 : 0,
      error: rec?.request && rec?.response ? null : "missing request or response",
    };
  } catch (e) {
    return { ...base, test_id: null, endpoint: null, model: null, is_streaming: 0, status: 0, model_list: 0, error: (e as Error).message };
  }
}

export class RecordingIndex {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly byHash: Database.Statement<[string], IndexRow>;
  private readonly byTest: Database.Statement<[string], IndexRow>;
  private readonly upsert: Database.Statement<IndexRow>;

  constructor(readonly dir: string, opts: { inMemory?: boolean } = {}) {
    this.path = opts.inMemory ? ":memory:" : (indexPathFor(dir) ?? ":memory:");
    this.db = this.open(this.path);
    this.byHash = this.db.prepare("SELECT * FROM files WHERE hash = ? ORDER BY rel");
    this.byTest = this.db.prepare("SELECT * FROM files WHERE test_id = ? ORDER BY rel");
    this.upsert = this.db.prepare(`INSERT OR REPLACE INTO files
      (rel, hash, folder, test_id, endpoint, model, is_streaming, status, model_list, error, mtime_ms, size)
      VALUES (@rel, @hash, @folder, @test_id, @endpoint, @model, @is_streaming, @status, @model_list, @error, @mtime_ms, @size)`);
  }

  private open(path: string): Database.Database {
    try {
      const db = new Database(path);
      db.pragma("busy_timeout = 10000");
      if (path !== ":memory:") db.pragma("journal_mode = WAL");
      db.exec(SCHEMA);
      return db;
    } catch {
      // An unusable index file (corrupt, locked read-only) must not block replay: index in memory.
      const db = new Database(":memory:");
      db.exec(SCHEMA);
      return db;
    }
  }

  /** Brings the index in line with the files: new, changed (size/mtime) and removed files. */
  sync(): SyncResult {
    const known = new Map<string, { mtime_ms: number; size: number }>();
    for (const r of this.db.prepare("SELECT rel, mtime_ms, size FROM files").all() as Array<{ rel: string; mtime_ms: number; size: number }>) {
      known.set(r.rel, r);
    }
    const changed: IndexRow[] = [];
    let added = 0;
    const seen = new Set<string>();
    for (const loc of listRecordingFiles(this.dir)) {
      seen.add(loc.rel);
      let st;
      try {
        st = statSync(join(this.dir, loc.rel));
      } catch {
        continue;
      }
      const k = known.get(loc.rel);
      if (k && k.mtime_ms === st.mtimeMs && k.size === st.size) continue;
      if (!k) added++;
      changed.push(describe(this.dir, loc.rel, st.mtimeMs, st.size));
    }
    const removed = [...known.keys()].filter((rel) => !seen.has(rel));
    const del = this.db.prepare("DELETE FROM files WHERE rel = ?");
    this.db.transaction(() => {
      for (const row of changed) this.upsert.run(row);
      for (const rel of removed) del.run(rel);
    })();
    return { added, updated: changed.length - added, removed: removed.length, total: seen.size };
  }

  /** Indexes one file just written or found (cheaper than a full sync). */
  note(rel: string): void {
    const st = statSync(join(this.dir, rel));
    this.upsert.run(describe(this.dir, rel, st.mtimeMs, st.size));
  }

  lookup(hash: string): IndexRow[] {
    return this.byHash.all(hash);
  }

  forTest(testId: string): IndexRow[] {
    return this.byTest.all(testId);
  }

  all(): IndexRow[] {
    return this.db.prepare("SELECT * FROM files ORDER BY rel").all() as IndexRow[];
  }

  query<T>(sql: string, ...params: unknown[]): T[] {
    return this.db.prepare(sql).all(...params) as T[];
  }

  close(): void {
    this.db.close();
  }
}
