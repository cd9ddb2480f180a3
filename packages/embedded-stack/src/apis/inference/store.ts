/** The inference store: completed chat completions with their input messages, in SQLite. */
import type { Database } from "better-sqlite3";
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

export class InferenceStore {
  constructor(private readonly db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS chat_completions (
      id TEXT PRIMARY KEY, created INTEGER NOT NULL, model TEXT NOT NULL, choices TEXT NOT NULL, input_messages TEXT NOT NULL,
      seq INTEGER NOT NULL)`);
  }

  save(completion: JsonObject, inputMessages: unknown[]): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO chat_completions (id, created, model, choices, input_messages, seq)
         VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_completions))`,
      )
      .run(
        String(completion.id),
        Number(completion.created ?? Math.floor(Date.now() / 1000)),
        String(completion.model),
        JSON.stringify(completion.choices ?? []),
        JSON.stringify(inputMessages),
      );
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
    const row = this.db.prepare("SELECT * FROM chat_completions WHERE id = ?").get(id) as Record<string, unknown> | undefined;
    if (!row) throw new InvalidValueError(`Chat completion with id ${id} not found`);
    return this.fromRow(row);
  }

  list(query: ListQuery): { object: "list"; data: StoredChatCompletion[]; has_more: boolean; first_id: string; last_id: string } {
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
      const cursor = this.db.prepare("SELECT created, seq FROM chat_completions WHERE id = ?").get(query.after) as
        | { created: number; seq: number }
        | undefined;
      if (!cursor) throw new InvalidValueError(`Record with id='${query.after}' not found in table 'chat_completions'`);
      const cmp = order === "asc" ? ">" : "<";
      where.push(`(created ${cmp} ? OR (created = ? AND seq ${cmp} ?))`);
      args.push(cursor.created, cursor.created, cursor.seq);
    }
    const sql = `SELECT * FROM chat_completions ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY created ${dir}, seq ${dir} LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, limit + 1) as Record<string, unknown>[];
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
