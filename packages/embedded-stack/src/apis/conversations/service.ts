import { randomBytes } from "node:crypto";
import type { Database } from "better-sqlite3";
import { InvalidValueError } from "../files/errors.js";
import type { IdMinter } from "../files/store.js";
import type { ConversationItem } from "./items.js";
import type {
  Conversation,
  ConversationDeletedResource,
  ConversationItemDeletedResource,
  ConversationItemList,
  ListItemsQuery,
  Metadata,
} from "./types.js";

const DEFAULT_LIST_LIMIT = 20;

interface ConversationRow {
  id: string;
  created_at: number;
  metadata: string | null;
}

interface ItemRow {
  seq: number;
  id: string;
  conversation_id: string;
  created_at: number;
  item_data: string;
}

export interface ConversationsServiceOptions {
  db: Database;
  mintId?: IdMinter;
  /** Unix seconds; injectable so ordering by time is testable. */
  now?: () => number;
}

/**
 * Conversations and their items in SQLite. Like upstream, a missing conversation or item is a
 * ValueError (400 "Invalid value: ..."), and deleting a conversation leaves its rows of items alone.
 */
export class ConversationsService {
  private readonly db: Database;
  private readonly mintId: IdMinter;
  private readonly now: () => number;

  constructor(opts: ConversationsServiceOptions) {
    this.db = opts.db;
    this.mintId = opts.mintId ?? ((_kind, fallback) => fallback());
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    this.db.exec(`CREATE TABLE IF NOT EXISTS openai_conversations (
      id TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      metadata TEXT
    );
    CREATE TABLE IF NOT EXISTS conversation_items (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      conversation_id TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      item_data TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS conversation_items_by_conversation ON conversation_items (conversation_id, created_at)`);
  }

  create(items: ConversationItem[] | null | undefined, metadata: Metadata | null | undefined): Conversation {
    const id = this.mintId("conv", () => `conv_${randomBytes(24).toString("hex")}`);
    const createdAt = this.now();
    this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO openai_conversations (id, created_at, metadata) VALUES (?, ?, ?)")
        .run(id, createdAt, metadata == null ? null : JSON.stringify(metadata));
      for (const item of items ?? []) this.upsertItem(id, createdAt, this.withId(item));
    })();
    return { id, object: "conversation", created_at: createdAt, metadata: metadata ?? null, items: null };
  }

  get(conversationId: string): Conversation {
    const row = this.db.prepare("SELECT * FROM openai_conversations WHERE id = ?").get(conversationId) as
      | ConversationRow
      | undefined;
    if (!row) throw new InvalidValueError(`Conversation ${conversationId} not found`);
    return {
      id: row.id,
      object: "conversation",
      created_at: row.created_at,
      metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Metadata),
      items: null,
    };
  }

  update(conversationId: string, metadata: Metadata): Conversation {
    this.db.prepare("UPDATE openai_conversations SET metadata = ? WHERE id = ?").run(JSON.stringify(metadata), conversationId);
    return this.get(conversationId);
  }

  /** Succeeds for unknown ids too, as upstream's delete does. */
  delete(conversationId: string): ConversationDeletedResource {
    this.db.prepare("DELETE FROM openai_conversations WHERE id = ?").run(conversationId);
    return { id: conversationId, object: "conversation.deleted", deleted: true };
  }

  addItems(conversationId: string, items: ConversationItem[]): ConversationItemList {
    this.validated(conversationId);
    const base = this.now();
    // One second apart so the items keep their order when listed by creation time.
    const created = items.map((item) => this.withId(item));
    this.db.transaction(() => created.forEach((item, i) => this.upsertItem(conversationId, base + i, item)))();
    return {
      object: "list",
      data: created,
      first_id: created[0]?.id ?? null,
      last_id: created[created.length - 1]?.id ?? null,
      has_more: false,
    };
  }

  retrieveItem(conversationId: string, itemId: string): ConversationItem {
    requireNonEmpty("conversation_id", conversationId);
    requireNonEmpty("item_id", itemId);
    return JSON.parse(this.itemRow(conversationId, itemId).item_data) as ConversationItem;
  }

  /** Items by creation time (newest first unless order=asc), paged with an item-id cursor. */
  listItems(conversationId: string, query: ListItemsQuery = {}): ConversationItemList {
    requireNonEmpty("conversation_id", conversationId);
    this.get(conversationId);
    const order = query.order === "asc" ? "ASC" : "DESC";
    const limit = query.limit || DEFAULT_LIST_LIMIT;
    const rows = this.db
      .prepare(`SELECT * FROM conversation_items WHERE conversation_id = ? ORDER BY created_at ${order}, seq ASC`)
      .all(conversationId) as ItemRow[];
    let start = 0;
    if (query.after) {
      const at = rows.findIndex((row) => row.id === query.after);
      if (at >= 0) start = at + 1;
    }
    const page = rows.slice(start, start + limit);
    const data = page.map((row) => JSON.parse(row.item_data) as ConversationItem);
    return {
      object: "list",
      data,
      first_id: page[0]?.id ?? null,
      last_id: page[page.length - 1]?.id ?? null,
      has_more: start + limit < rows.length,
    };
  }

  deleteItem(conversationId: string, itemId: string): ConversationItemDeletedResource {
    requireNonEmpty("conversation_id", conversationId);
    requireNonEmpty("item_id", itemId);
    this.validated(conversationId);
    this.itemRow(conversationId, itemId);
    this.db.prepare("DELETE FROM conversation_items WHERE id = ? AND conversation_id = ?").run(itemId, conversationId);
    return { id: itemId, object: "conversation.item.deleted", deleted: true };
  }

  private validated(conversationId: string): Conversation {
    if (!conversationId.startsWith("conv_")) {
      throw new InvalidValueError(
        `Invalid 'conversation_id': '${conversationId}'. Expected an ID that begins with 'conv_'.`,
      );
    }
    return this.get(conversationId);
  }

  private itemRow(conversationId: string, itemId: string): ItemRow {
    const row = this.db
      .prepare("SELECT * FROM conversation_items WHERE id = ? AND conversation_id = ?")
      .get(itemId, conversationId) as ItemRow | undefined;
    if (!row) throw new InvalidValueError(`Item ${itemId} not found in conversation ${conversationId}`);
    return row;
  }

  /** Messages get `msg_` ids, every other item type `item_`, unless the client chose one. */
  private withId(item: ConversationItem): ConversationItem & { id: string } {
    if (typeof item.id === "string") return item as ConversationItem & { id: string };
    const prefix = item.type === "message" ? "msg" : "item";
    const id = this.mintId(prefix, () => `${prefix}_${randomBytes(24).toString("hex")}`);
    return { ...item, id };
  }

  /** Item ids are unique across conversations: re-adding an id moves and replaces the item, as upstream's upsert does. */
  private upsertItem(conversationId: string, createdAt: number, item: ConversationItem & { id: string }): void {
    this.db
      .prepare(
        `INSERT INTO conversation_items (id, conversation_id, created_at, item_data) VALUES (?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET conversation_id = excluded.conversation_id,
           created_at = excluded.created_at, item_data = excluded.item_data`,
      )
      .run(item.id, conversationId, createdAt, JSON.stringify(item));
  }
}

function requireNonEmpty(name: string, value: string): void {
  if (!value) throw new InvalidValueError(`Expected a non-empty value for \`${name}\` but received ''`);
}
