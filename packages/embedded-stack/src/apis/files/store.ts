import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Database } from "better-sqlite3";
import { InvalidValueError, ResourceNotFoundError } from "./errors.js";
import {
  DEFAULT_FILE_TTL_SECONDS,
  type FileDeleteResponse,
  type FilePurpose,
  type ListFilesQuery,
  type ListFilesResponse,
  type NewFile,
  type OpenAIFileObject,
  type StagedContent,
} from "./types.js";

/** Mints an object id; `fallback` makes a random one when no deterministic allocator applies. */
export type IdMinter = (kind: string, fallback: () => string) => string;

export interface FilesStoreOptions {
  db: Database;
  /** Directory that holds the uploaded bytes, one file per id. */
  dir: string;
  mintId?: IdMinter;
  /** Unix seconds; injectable so expiry is testable. */
  now?: () => number;
}

interface FileRow {
  id: string;
  filename: string;
  purpose: FilePurpose;
  bytes: number;
  created_at: number;
  expires_at: number;
  seq: number;
}

const LIST_CALL = "client.files.list()";

/** Metadata in SQLite, bytes on disk under `dir`. Used by the Files routes and by other APIs (vector stores, batches). */
export class FilesStore {
  private readonly db: Database;
  private readonly dir: string;
  private readonly mintId: IdMinter;
  private readonly now: () => number;

  constructor(opts: FilesStoreOptions) {
    this.db = opts.db;
    this.dir = opts.dir;
    this.mintId = opts.mintId ?? ((_kind, fallback) => fallback());
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    mkdirSync(this.dir, { recursive: true });
    this.db.exec(`CREATE TABLE IF NOT EXISTS openai_files (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      filename TEXT NOT NULL,
      purpose TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    )`);
  }

  /**
   * Writes an upload to a temp file in the store's directory as it arrives, so no upload is held in
   * memory; `create` then makes it a file, or `discard` removes it.
   */
  async stage(source: Readable): Promise<StagedContent> {
    const path = join(this.dir, `.upload-${randomBytes(8).toString("hex")}.tmp`);
    let bytes = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    // Opened here, not by the stream (which opens asynchronously and could create the file after a failed upload removed it).
    const out = createWriteStream(path, { fd: openSync(path, "wx") });
    try {
      await pipeline(source, count, out);
    } catch (err) {
      rmSync(path, { force: true });
      throw err;
    }
    return { path, bytes };
  }

  discard(staged: StagedContent): void {
    rmSync(staged.path, { force: true });
  }

  create(file: NewFile): OpenAIFileObject {
    const id = this.mintId("file", () => `file-${randomBytes(16).toString("hex")}`);
    const createdAt = this.now();
    const expiresAt = createdAt + (file.expiresAfter?.seconds ?? DEFAULT_FILE_TTL_SECONDS);
    const path = this.pathOf(id);
    let bytes: number;
    if (Buffer.isBuffer(file.content)) {
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, file.content);
      renameSync(tmp, path);
      bytes = file.content.length;
    } else {
      renameSync(file.content.path, path);
      bytes = file.content.bytes;
    }
    this.db
      .prepare(
        "INSERT INTO openai_files (id, filename, purpose, bytes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(id, file.filename, file.purpose, bytes, createdAt, expiresAt);
    return toObject({ id, filename: file.filename, purpose: file.purpose, bytes, created_at: createdAt, expires_at: expiresAt, seq: 0 });
  }

  list(query: ListFilesQuery = {}): ListFilesResponse {
    const order = query.order ?? "desc";
    const limit = query.limit ?? 10000;
    const dir = order === "asc" ? "ASC" : "DESC";
    const where: string[] = ["expires_at > ?"];
    const params: unknown[] = [this.now()];
    if (query.purpose) {
      where.push("purpose = ?");
      params.push(query.purpose);
    }
    if (query.after !== undefined) {
      const cursor = this.db
        .prepare("SELECT created_at, seq FROM openai_files WHERE id = ?")
        .get(query.after) as { created_at: number; seq: number } | undefined;
      if (!cursor) {
        throw new InvalidValueError(`Record with id='${query.after}' not found in table 'openai_files'`);
      }
      // Tie-break on insertion order so files created within one second are never skipped.
      const cmp = order === "asc" ? ">" : "<";
      where.push(`(created_at ${cmp} ? OR (created_at = ? AND seq ${cmp} ?))`);
      params.push(cursor.created_at, cursor.created_at, cursor.seq);
    }
    // Upstream treats limit 0 (falsy) as "no limit".
    const limitSql = limit > 0 ? `LIMIT ${Math.floor(limit) + 1}` : "";
    const rows = this.db
      .prepare(`SELECT * FROM openai_files WHERE ${where.join(" AND ")} ORDER BY created_at ${dir}, seq ${dir} ${limitSql}`)
      .all(...params) as FileRow[];
    const hasMore = limit > 0 && rows.length > limit;
    const data = (hasMore ? rows.slice(0, limit) : rows).map(toObject);
    return {
      object: "list",
      data,
      has_more: hasMore,
      first_id: data[0]?.id ?? "",
      last_id: data[data.length - 1]?.id ?? "",
    };
  }

  retrieve(id: string): OpenAIFileObject {
    return toObject(this.liveRow(id));
  }

  /** The stored bytes; a file whose bytes vanished from disk is dropped and reported missing. */
  content(id: string): { file: OpenAIFileObject; content: Buffer } {
    const row = this.liveRow(id);
    let content: Buffer;
    try {
      content = readFileSync(this.pathOf(id));
    } catch {
      this.remove(id);
      throw new ResourceNotFoundError(id, "File", LIST_CALL);
    }
    return { file: toObject(row), content };
  }

  /** Where the stored bytes are, for streaming them out; a file whose bytes vanished is dropped and reported missing. */
  contentPath(id: string): { file: OpenAIFileObject; path: string } {
    const row = this.liveRow(id);
    const path = this.pathOf(id);
    try {
      statSync(path);
    } catch {
      this.remove(id);
      throw new ResourceNotFoundError(id, "File", LIST_CALL);
    }
    return { file: toObject(row), path };
  }

  delete(id: string): FileDeleteResponse {
    this.liveRow(id);
    this.remove(id);
    return { id, object: "file", deleted: true };
  }

  /** Row of an unexpired file; expired files are removed on sight. */
  private liveRow(id: string): FileRow {
    const row = this.db.prepare("SELECT * FROM openai_files WHERE id = ?").get(id) as FileRow | undefined;
    if (!row) throw new ResourceNotFoundError(id, "File", LIST_CALL);
    if (row.expires_at <= this.now()) {
      this.remove(id);
      throw new ResourceNotFoundError(id, "File", LIST_CALL);
    }
    return row;
  }

  private remove(id: string): void {
    rmSync(this.pathOf(id), { force: true });
    this.db.prepare("DELETE FROM openai_files WHERE id = ?").run(id);
  }

  private pathOf(id: string): string {
    // Ids are minted here, but lookups take client input: keep it inside the directory.
    return join(this.dir, encodeURIComponent(id));
  }
}

function toObject(row: FileRow): OpenAIFileObject {
  return {
    object: "file",
    id: row.id,
    bytes: row.bytes,
    created_at: row.created_at,
    expires_at: row.expires_at,
    filename: row.filename,
    purpose: row.purpose,
  };
}
