import { upstreamTest } from "@llama-stack-tests/stack";
import { expect } from "vitest";

import { CREATE, openaiClient, outputText, rejection, requireRoutes, streamEnd, TEXT, textModel } from "./responses.js";

// Conversations are not gated: Llama Stack serves them without a provider, and 0.4.0's /v1/inspect/routes
// lists only provider-backed APIs, so the stack's answers decide.
const FILE = "tests/integration/responses/test_conversation_responses.py";
const CLASS = "TestConversationResponses";

function userInput(content: string) {
  return [{ role: "user", content }];
}

upstreamTest({ file: FILE, name: `${CLASS}::test_conversation_basic_workflow`, models: TEXT }, async (t) => {
  await requireRoutes(t, CREATE);
  const conversation = await t.openai.conversations.create({ metadata: { topic: "test" } });
  expect(conversation.id.startsWith("conv_"), conversation.id).toBe(true);

  const response = await openaiClient(t).create({
    model: textModel(t),
    input: userInput("What are the 5 Ds of dodgeball?"),
    conversation: conversation.id,
  });
  expect(response.id.startsWith("resp_"), response.id).toBe(true);
  expect(outputText(response).trim().length).toBeGreaterThan(0);

  const items = await t.openai.conversations.items.list(conversation.id);
  expect(items.data.length, "the turn was synced into the conversation").toBeGreaterThanOrEqual(2);
  const roles = items.data.flatMap((item) => ("role" in item ? [item.role] : []));
  expect(roles).toContain("user");
  expect(roles).toContain("assistant");
});

upstreamTest({ file: FILE, name: `${CLASS}::test_conversation_multi_turn_and_streaming`, models: TEXT }, async (t) => {
  await requireRoutes(t, CREATE);
  const client = openaiClient(t);
  const conversation = await t.openai.conversations.create();

  const first = await client.create({ model: textModel(t), input: userInput("Say hello"), conversation: conversation.id });
  const events = await client.stream({ model: textModel(t), input: userInput("Say goodbye"), conversation: conversation.id });
  const final = streamEnd(t, events);

  expect(first.id).not.toBe(final.id);
  expect(outputText(first).trim().length).toBeGreaterThan(0);
  expect(outputText(final).trim().length).toBeGreaterThan(0);

  const items = await t.openai.conversations.items.list(conversation.id);
  expect(items.data.length, "2 user + 2 assistant messages").toBeGreaterThanOrEqual(4);
});

upstreamTest({ file: FILE, name: `${CLASS}::test_conversation_context_loading`, models: TEXT }, async (t) => {
  await requireRoutes(t, CREATE);
  const conversation = await t.openai.conversations.create({
    items: [
      { type: "message", role: "user", content: "My name is Alice. I like to eat apples." },
      { type: "message", role: "assistant", content: "Hello Alice!" },
    ],
  });
  const response = await openaiClient(t).create({
    model: textModel(t),
    input: userInput("What do I like to eat?"),
    conversation: conversation.id,
  });
  if (t.can("answer_quality", "the answer recalls the apples from the conversation's items")) {
    expect(outputText(response).toLowerCase()).toContain("apple");
  }
});

upstreamTest({ file: FILE, name: `${CLASS}::test_conversation_error_handling`, models: TEXT }, async (t) => {
  await requireRoutes(t, CREATE);
  const client = openaiClient(t);
  const invalid = await rejection(client.create({ model: textModel(t), input: userInput("Hello"), conversation: "invalid_id" }));
  expect(["conv", "invalid", "bad"].some((word) => invalid.message.toLowerCase().includes(word)), invalid.message).toBe(true);

  const missing = await rejection(client.create({ model: textModel(t), input: userInput("Hello"), conversation: "conv_nonexistent123" }));
  const text = `${missing.status ?? ""} ${missing.message}`.toLowerCase();
  expect(["not found", "404"].some((word) => text.includes(word)), text).toBe(true);
});

upstreamTest({ file: FILE, name: `${CLASS}::test_conversation_backward_compatibility`, models: TEXT }, async (t) => {
  await requireRoutes(t, CREATE);
  const response = await openaiClient(t).create({ model: textModel(t), input: userInput("Hello world") });
  expect(response.id.startsWith("resp_"), response.id).toBe(true);
  expect(outputText(response).trim().length).toBeGreaterThan(0);
});
