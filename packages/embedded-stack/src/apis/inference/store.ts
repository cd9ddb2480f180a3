/** The inference store: completed chat completions with their input messages, in SQLite. */
import type { Database, Statement } from "better-sqlite3";
import { InvalidValueError } from "../../server/errors.js";
import type { JsonObject } from "../../server/types.js";

export interface StoredChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: unknown[];
  input_messages: unknown[];
}

export interface ListQuery {
  after?: string;
  limit?: number;
  model?: string;
  order?: "asc" | "desc";
}

/**
 * How long saves wait to be written together. Measured per row: one-row transactions 32 µs (what one
 * flush per event-loop turn gave under load), 8 rows 10 µs, 8 rows without fsync 6 µs, 64 rows 4 µs.
 * Reads flush first, so none sees the wait.
 */
const FLUSH_MS = 20;

/** Rows are ordered by (created, rowid): rowid keeps insertion order among equal timestamps. */
export class InferenceStore {
  private readonly statements = new Map<string, Statement>();
  /** Saves not yet written: written together within FLUSH_MS, and before any read and on close. */
  private pending: unknown[][] = [];
  private flushScheduled = false;

  constructor(private readonly db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS chat_completions (
      id TEXT PRIMARY KEY, created INTEGER NOT NULL, model TEXT NOT NULL, choices TEXT NOT NULL, input_messages TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS chat_completions_created ON chat_completions (created)`);
  }

  /** Statements are compiled once: preparing one costs more than running it. */
  private statement(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }

  /** Queues the completion; it is written with the turn's other saves, in one transaction. */
  save(completion: JsonObject, inputMessages: unknown[]): void {
    this.pending.push([
      String(completion.id),
      Number(completion.created ?? Math.floor(Date.now() / 1000)),
      String(completion.model),
      JSON.stringify(completion.choices ?? []),
      JSON.stringify(inputMessages),
    ]);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Writes the queued saves; reads call it first, and the stack calls it before closing the database. */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    const insert = this.statement("INSERT OR REPLACE INTO chat_completions (id, created, model, choices, input_messages) VALUES (?, ?, ?, ?, ?)");
    this.db.transaction(() => {
      for (const row of rows) insert.run(...row);
    })();
  }

  private fromRow(row: Record<string, unknown>): StoredChatCompletion {
    return {
      id: row.id as string,
      object: "chat.completion",
      created: row.created as number,
      model: row.model as string,
      choices: JSON.parse(row.choices as string) as unknown[],
      input_messages: JSON.parse(row.input_messages as string) as unknown[],
    };
  }

  get(id: string): StoredChatCompletion {
    this.flush();
    const row = this.statement("SELECT * FROM chat_completions WHERE id = ?").get(id) as Record<string, unknown> | undefined;
    if (!row) throw new InvalidValueError(`Chat completion with id ${id} not found`);
    return this.fromRow(row);
  }

  list(query: ListQuery): { object: "list"; data: StoredChatCompletion[]; has_more: boolean; first_id: string; last_id: string } {
    this.flush();
    const order = query.order ?? "desc";
    const limit = query.limit ?? 20;
    const dir = order === "asc" ? "ASC" : "DESC";
    const where: string[] = [];
    const args: unknown[] = [];
    if (query.model) {
      where.push("model = ?");
      args.push(query.model);
    }
    if (query.after) {
      const cursor = this.statement("SELECT created, rowid AS seq FROM chat_completions WHERE id = ?").get(query.after) as
        | { created: number; seq: number }
        | undefined;
      if (!cursor) throw new InvalidValueError(`Record with id='${query.after}' not found in table 'chat_completions'`);
      const cmp = order === "asc" ? ">" : "<";
      where.push(`(created ${cmp} ? OR (created = ? AND rowid ${cmp} ?))`);
      args.push(cursor.created, cursor.created, cursor.seq);
    }
    const sql = `SELECT * FROM chat_completions ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY created ${dir}, rowid ${dir} LIMIT ?`;
    const rows = this.statement(sql).all(...args, limit + 1) as Record<string, unknown>[];
    const data = rows.slice(0, limit).map((r) => this.fromRow(r));
    return {
      object: "list",
      data,
      has_more: rows.length > limit,
      first_id: data[0]?.id ?? "",
      last_id: data[data.length - 1]?.id ?? "",
    };
  }
}
