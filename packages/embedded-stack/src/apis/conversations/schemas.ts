import { z } from "zod";
import { pyInt } from "../../server/py-types.js";
import { conversationItemSchema } from "./items.js";

/** Request shapes of the Conversations routes (spec: CreateConversationRequest, UpdateConversationRequest, AddItemsRequest). */

const metadata = z.record(z.string());

export const createConversationBody = z.object({
  items: z.array(conversationItemSchema).nullable().optional(),
  metadata: metadata.nullable().optional(),
});

export const updateConversationBody = z.object({ metadata });

export const addItemsBody = z.object({ items: z.array(conversationItemSchema) });

export const ITEM_INCLUDES = [
  "web_search_call.action.sources",
  "code_interpreter_call.outputs",
  "computer_call_output.output.image_url",
  "file_search_call.results",
  "message.input_image.image_url",
  "message.output_text.logprobs",
  "reasoning.encrypted_content",
] as const;

export const listItemsQuery = z.object({
  after: z.string().optional(),
  // Accepted and validated like upstream, which does not act on it either.
  include: z
    .union([z.enum(ITEM_INCLUDES), z.array(z.enum(ITEM_INCLUDES))])
    .optional(),
  limit: pyInt().optional(),
  order: z.enum(["asc", "desc"]).optional(),
});
