import { upstreamTest } from "@llama-stack-tests/stack";
import { expect } from "vitest";

import { asMessage, partText, type ItemDeletedBody, type ItemListBody } from "./conversation-items.js";

const file = "tests/integration/conversations/test_openai_conversations.py";
const cls = "TestOpenAIConversations";

upstreamTest({ file, name: `${cls}::test_conversation_create` }, async (t) => {
  const conversation = await t.openai.conversations.create({
    metadata: { topic: "demo" },
    items: [{ type: "message", role: "user", content: "Hello!" }],
  });

  expect(conversation.id.startsWith("conv_")).toBe(true);
  expect(conversation.object).toBe("conversation");
  expect((conversation.metadata as Record<string, string>)["topic"]).toBe("demo");
  expect(Number.isInteger(conversation.created_at)).toBe(true);
});

upstreamTest({ file, name: `${cls}::test_conversation_retrieve` }, async (t) => {
  const conversation = await t.openai.conversations.create({ metadata: { topic: "demo" } });

  const retrieved = await t.openai.conversations.retrieve(conversation.id);

  expect(retrieved.id).toBe(conversation.id);
  expect(retrieved.object).toBe("conversation");
  expect((retrieved.metadata as Record<string, string>)["topic"]).toBe("demo");
  expect(retrieved.created_at).toBe(conversation.created_at);
});

upstreamTest({ file, name: `${cls}::test_conversation_update` }, async (t) => {
  const conversation = await t.openai.conversations.create({ metadata: { topic: "demo" } });

  const updated = await t.openai.conversations.update(conversation.id, { metadata: { topic: "project-x" } });

  expect(updated.id).toBe(conversation.id);
  expect((updated.metadata as Record<string, string>)["topic"]).toBe("project-x");
  expect(updated.created_at).toBe(conversation.created_at);
});

upstreamTest({ file, name: `${cls}::test_conversation_delete` }, async (t) => {
  const conversation = await t.openai.conversations.create({ metadata: { topic: "demo" } });

  const deleted = await t.openai.conversations.delete(conversation.id);

  expect(deleted.id).toBe(conversation.id);
  expect(deleted.object).toBe("conversation.deleted");
  expect(deleted.deleted).toBe(true);
});

upstreamTest({ file, name: `${cls}::test_conversation_items_create` }, async (t) => {
  const conversation = await t.openai.conversations.create({});

  const items = await t.openai.conversations.items.create(conversation.id, {
    items: [
      { type: "message", role: "user", content: [{ type: "input_text", text: "Hello!" }] },
      { type: "message", role: "user", content: [{ type: "input_text", text: "How are you?" }] },
    ],
  });

  expect(items.object).toBe("list");
  expect(items.data).toHaveLength(2);
  expect(partText(items.data[0])).toBe("Hello!");
  expect(partText(items.data[1])).toBe("How are you?");
  expect(items.first_id).toBe(asMessage(items.data[0]).id);
  expect(items.last_id).toBe(asMessage(items.data[1]).id);
  expect(items.has_more).toBe(false);
});

upstreamTest({ file, name: `${cls}::test_conversation_items_list` }, async (t) => {
  const conversation = await t.openai.conversations.create({});
  await t.openai.conversations.items.create(conversation.id, {
    items: [{ type: "message", role: "user", content: [{ type: "input_text", text: "Hello!" }] }],
  });

  // The SDK's cursor page hides `object`; upstream asserts on the page as sent.
  const response = await t.openai.conversations.items.list(conversation.id, { limit: 10 }).asResponse();
  const items = (await response.json()) as ItemListBody;

  expect(items.object).toBe("list");
  expect(items.data.length).toBeGreaterThanOrEqual(1);
  expect(items.data[0]?.type).toBe("message");
  expect(asMessage(items.data[0]).role).toBe("user");
  expect(items).toHaveProperty("first_id");
  expect(items).toHaveProperty("last_id");
  expect(items).toHaveProperty("has_more");
});

upstreamTest({ file, name: `${cls}::test_conversation_item_retrieve` }, async (t) => {
  const conversation = await t.openai.conversations.create({});
  const created = await t.openai.conversations.items.create(conversation.id, {
    items: [{ type: "message", role: "user", content: [{ type: "input_text", text: "Hello!" }] }],
  });
  const itemId = asMessage(created.data[0]).id;

  const item = await t.openai.conversations.items.retrieve(itemId, { conversation_id: conversation.id });

  expect(asMessage(item).id).toBe(itemId);
  expect(item.type).toBe("message");
  expect(asMessage(item).role).toBe("user");
  expect(partText(item)).toBe("Hello!");
});

upstreamTest({ file, name: `${cls}::test_conversation_item_delete` }, async (t) => {
  const conversation = await t.openai.conversations.create({});
  const created = await t.openai.conversations.items.create(conversation.id, {
    items: [{ type: "message", role: "user", content: [{ type: "input_text", text: "Hello!" }] }],
  });
  const itemId = asMessage(created.data[0]).id;

  // The SDK types this answer as a Conversation; Llama Stack answers with an item-deleted object.
  const deleted = (await t.openai.conversations.items.delete(itemId, {
    conversation_id: conversation.id,
  })) as unknown as ItemDeletedBody;

  expect(deleted.id).toBe(itemId);
  expect(deleted.object).toBe("conversation.item.deleted");
  expect(deleted.deleted).toBe(true);
});

upstreamTest({ file, name: `${cls}::test_full_workflow` }, async (t) => {
  const conversation = await t.openai.conversations.create({
    metadata: { topic: "workflow-test" },
    items: [{ type: "message", role: "user", content: "Hello!" }],
  });
  await t.openai.conversations.items.create(conversation.id, {
    items: [{ type: "message", role: "user", content: [{ type: "input_text", text: "Follow up" }] }],
  });

  const allItems = await t.openai.conversations.items.list(conversation.id);
  expect(allItems.data.length).toBeGreaterThanOrEqual(2);

  const updated = await t.openai.conversations.update(conversation.id, { metadata: { topic: "workflow-complete" } });
  expect((updated.metadata as Record<string, string>)["topic"]).toBe("workflow-complete");

  const deleted = await t.openai.conversations.delete(conversation.id);
  expect(deleted.deleted).toBe(true);
});
