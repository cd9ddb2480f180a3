/**
 * Narrowing helpers for conversation items: the OpenAI SDK types items as a wide union and the
 * item-delete answer as a Conversation, while upstream asserts on message fields and on Llama
 * Stack's `conversation.item.deleted` object.
 */
import type { Message } from "openai/resources/conversations/conversations";
import type { ConversationItem as Item } from "openai/resources/conversations/items";

export function asMessage(item: Item | undefined): Message {
  if (item === undefined) throw new Error("expected a conversation item, got none");
  if (item.type !== "message") throw new Error(`expected a message item, got type "${item.type}"`);
  return item;
}

/** Text of the message's content part at `index` (input_text, output_text or text parts). */
export function partText(item: Item | undefined, index = 0): string | undefined {
  const part = asMessage(item).content[index];
  return part !== undefined && "text" in part ? part.text : undefined;
}

/** The item list page as sent on the wire (object, data, first_id, last_id, has_more). */
export interface ItemListBody {
  object: string;
  data: Item[];
  first_id?: string | null;
  last_id?: string | null;
  has_more: boolean;
}

/** Llama Stack's answer to DELETE /v1/conversations/{id}/items/{item_id}. */
export interface ItemDeletedBody {
  id: string;
  object: string;
  deleted: boolean;
}
