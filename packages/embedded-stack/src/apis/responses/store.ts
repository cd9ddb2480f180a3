/**
 * Stored responses in SQLite, as upstream's ResponsesStore keeps them: the response object with its
 * input items and the chat messages of its last turn (the next turn's history), plus the chat
 * messages of each conversation the Responses API wrote to.
 */
import type { Database } from "better-sqlite3";
import { InvalidValueError } from "../../server/errors.js";
import type { ChatMessage, InputItem, ResponseObject } from "./types.js";

export interface StoredResponse {
  response: ResponseObject;
  input: InputItem[];
  messages: ChatMessage[];
}

export type Order = "asc" | "desc";

export interface ListResponsesOptions {
  after?: string;
  limit?: number;
  model?: string;
  order?: Order;
}

export interface ResponseWithInput extends ResponseObject {
  input: InputItem[];
}

export interface ResponseList {
  data: ResponseWithInput[];
  has_more: boolean;
  first_id: string;
  last_id: string;
  object: "list";
}

export interface ListInputItemsOptions {
  after?: string;
  before?: string;
  limit?: number;
  order?: Order;
}

interface Row {
  data: string;
}

export function responseNotFound(id: string): InvalidValueError {
  return new InvalidValueError(`Response with id ${id} not found`);
}

export class ResponsesStore {
  constructor(private readonly db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS openai_responses (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL,
      model TEXT NOT NULL,
      data TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS responses_conversation_messages (
      conversation_id TEXT PRIMARY KEY,
      messages TEXT NOT NULL
    )`);
  }

  save(stored: StoredResponse): void {
    const { response } = stored;
    this.db
      .prepare("INSERT INTO openai_responses (id, created_at, model, data) VALUES (?, ?, ?, ?)")
      .run(response.id, response.created_at, response.model, JSON.stringify(stored));
  }

  get(id: string): StoredResponse {
    const row = this.db.prepare("SELECT data FROM openai_responses WHERE id = ?").get(id) as Row | undefined;
    if (!row) throw responseNotFound(id);
    return JSON.parse(row.data) as StoredResponse;
  }

  delete(id: string): { id: string; object: "response"; deleted: true } {
    const result = this.db.prepare("DELETE FROM openai_responses WHERE id = ?").run(id);
    if (result.changes === 0) throw responseNotFound(id);
    return { id, object: "response", deleted: true };
  }

  /** Ordered by creation time; `after` is a response id and pages past its creation time, as upstream's cursor does. */
  list(opts: ListResponsesOptions): ResponseList {
    const order = opts.order ?? "desc";
    const direction = order === "asc" ? "ASC" : "DESC";
    const where: string[] = [];
    const params: unknown[] = [];
    if (opts.model) {
      where.push("model = ?");
      params.push(opts.model);
    }
    if (opts.after) {
      const cursor = this.db.prepare("SELECT created_at FROM openai_responses WHERE id = ?").get(opts.after) as
        | { created_at: number }
        | undefined;
      if (!cursor) throw new InvalidValueError(`Record with id='${opts.after}' not found in table 'openai_responses'`);
      where.push(order === "asc" ? "created_at > ?" : "created_at < ?");
      params.push(cursor.created_at);
    }
    const limit = opts.limit ?? 50;
    const sql = `SELECT data FROM openai_responses ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY created_at ${direction}, seq ${direction} ${limit ? "LIMIT ?" : ""}`;
    if (limit) params.push(limit + 1);
    const rows = this.db.prepare(sql).all(...params) as Row[];
    const hasMore = limit ? rows.length > limit : false;
    const data = (hasMore ? rows.slice(0, limit) : rows).map((row) => {
      const stored = JSON.parse(row.data) as StoredResponse;
      return { ...stored.response, input: stored.input };
    });
    return { data, has_more: hasMore, first_id: data[0]?.id ?? "", last_id: data[data.length - 1]?.id ?? "", object: "list" };
  }

  listInputItems(id: string, opts: ListInputItemsOptions): { data: InputItem[]; object: "list" } {
    if (opts.before && opts.after) throw new InvalidValueError("Cannot specify both 'before' and 'after' parameters");
    let items = this.get(id).input;
    if ((opts.order ?? "desc") === "desc") items = [...items].reverse();
    let start = 0;
    let end = items.length;
    if (opts.after || opts.before) {
      for (const [i, item] of items.entries()) {
        const itemId = (item as { id?: string | null }).id;
        if (opts.after && itemId === opts.after) start = i + 1;
        if (opts.before && itemId === opts.before) {
          end = i;
          break;
        }
      }
      if (opts.after && start === 0) throw new InvalidValueError(`Input item with id '${opts.after}' not found for response '${id}'`);
      if (opts.before && end === items.length) {
        throw new InvalidValueError(`Input item with id '${opts.before}' not found for response '${id}'`);
      }
    }
    items = items.slice(start, end);
    return { data: items.slice(0, opts.limit ?? 20), object: "list" };
  }

  saveConversationMessages(conversationId: string, messages: ChatMessage[]): void {
    this.db
      .prepare(
        `INSERT INTO responses_conversation_messages (conversation_id, messages) VALUES (?, ?)
         ON CONFLICT(conversation_id) DO UPDATE SET messages = excluded.messages`,
      )
      .run(conversationId, JSON.stringify(messages));
  }

  conversationMessages(conversationId: string): ChatMessage[] | null {
    const row = this.db
      .prepare("SELECT messages FROM responses_conversation_messages WHERE conversation_id = ?")
      .get(conversationId) as { messages: string } | undefined;
    return row ? (JSON.parse(row.messages) as ChatMessage[]) : null;
  }
}
