import type { Database } from "better-sqlite3";
import type { BatchObject, ListBatchesResponse } from "./types.js";

/** Batch objects as JSON documents in SQLite, like upstream's key-value store. */
export class BatchesStore {
  constructor(private readonly db: Database) {
    this.db.exec(`CREATE TABLE IF NOT EXISTS batches (
      id TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      data TEXT NOT NULL
    )`);
  }

  get(id: string): BatchObject | undefined {
    const row = this.db.prepare("SELECT data FROM batches WHERE id = ?").get(id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as BatchObject) : undefined;
  }

  put(batch: BatchObject): void {
    this.db
      .prepare("INSERT OR REPLACE INTO batches (id, created_at, data) VALUES (?, ?, ?)")
      .run(batch.id, batch.created_at, JSON.stringify(batch));
  }

  /** Newest first (ties in id order, as upstream's stable sort of key-ordered values gives); `after` unknown -> first page. */
  list(after: string | null | undefined, limit: number): ListBatchesResponse {
    const all = (this.db.prepare("SELECT data FROM batches ORDER BY created_at DESC, id ASC").all() as { data: string }[]).map(
      (row) => JSON.parse(row.data) as BatchObject,
    );
    let start = 0;
    if (after) {
      const at = all.findIndex((b) => b.id === after);
      if (at >= 0) start = at + 1;
    }
    const data = all.slice(start, start + limit);
    return {
      object: "list",
      data,
      first_id: data[0]?.id ?? null,
      last_id: data[data.length - 1]?.id ?? null,
      has_more: start + limit < all.length,
    };
  }
}
