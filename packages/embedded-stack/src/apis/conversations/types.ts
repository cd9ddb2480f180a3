import type { ConversationItem } from "./items.js";

/** Wire types of the Conversations API (OpenAI-compatible). */

export type Metadata = Record<string, string>;

export interface Conversation {
  id: string;
  object: "conversation";
  created_at: number;
  metadata: Metadata | null;
  items: null;
}

export interface ConversationDeletedResource {
  id: string;
  object: "conversation.deleted";
  deleted: true;
}

export interface ConversationItemDeletedResource {
  id: string;
  object: "conversation.item.deleted";
  deleted: true;
}

export interface ConversationItemList {
  object: "list";
  data: ConversationItem[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface ListItemsQuery {
  after?: string;
  limit?: number;
  order?: "asc" | "desc";
}
