/**
 * The batch input lines upstream's batches tests upload, keyed by test. Field order matters: the
 * lines are serialised like Python's json.dumps, so the files match upstream's byte for byte.
 */

/** One line of a batch input file; fields are optional because some tests omit them on purpose. */
export interface BatchRequestLine {
  custom_id?: string;
  method?: string;
  url?: string;
  body?: Record<string, unknown>;
}

const chat = (model: string, content: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: "user", content }],
  max_tokens: 10,
  ...extra,
});

/** A single chat completion request, the shape most tests use. */
export function chatLine(customId: string, model: string, content: string, extra?: Record<string, unknown>): BatchRequestLine {
  return { custom_id: customId, method: "POST", url: "/v1/chat/completions", body: chat(model, content, extra) };
}

export const CREATION_METADATA: Readonly<Record<string, string>> = {
  test_type: "comprehensive",
  purpose: "creation_and_retrieval_test",
  version: "1.0",
  tags: "test,batch",
};

/** test_batch_e2e_chat_completions: one valid request and one with invalid message keys. */
export function e2eChatLines(model: string): BatchRequestLine[] {
  return [
    {
      custom_id: "success-1",
      method: "POST",
      url: "/v1/chat/completions",
      body: { model, messages: [{ role: "user", content: "Say hello" }], max_tokens: 20 },
    },
    {
      custom_id: "error-1",
      method: "POST",
      url: "/v1/chat/completions",
      body: { model, messages: [{ rolez: "user", contentz: "This should fail" }] },
    },
  ];
}

export function e2eCompletionLines(model: string): BatchRequestLine[] {
  return [
    {
      custom_id: "success-1",
      method: "POST",
      url: "/v1/completions",
      body: { model, prompt: "Say completions", max_tokens: 20 },
    },
  ];
}

export function e2eEmbeddingLines(model: string): BatchRequestLine[] {
  return [
    {
      custom_id: "success-1",
      method: "POST",
      url: "/v1/embeddings",
      body: { model, input: "Hello world", encoding_format: "float" },
    },
    {
      custom_id: "success-2",
      method: "POST",
      url: "/v1/embeddings",
      body: { model, input: ["How are you?", "Good morning", "Have a great day"], encoding_format: "float" },
    },
  ];
}

/** test_batch_malformed_jsonl: a valid first line so the batch, not the upload, rejects the second. */
export const MALFORMED_JSONL =
  '{"custom_id": "valid", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "test"}}\n{invalid json here';

/** test_batch_missing_required_fields: each line lacks one of custom_id, method, url, body. */
export function missingFieldLines(model: string): BatchRequestLine[] {
  const body = (content: string) => chat(model, content);
  return [
    { method: "POST", url: "/v1/chat/completions", body: body("No custom_id") },
    { custom_id: "no-method", url: "/v1/chat/completions", body: body("No method") },
    { custom_id: "no-url", method: "POST", body: body("No URL") },
    { custom_id: "no-body", method: "POST", url: "/v1/chat/completions" },
  ];
}

/** test_batch_missing_required_body_fields: no model on line 1, no messages on line 2. */
export function missingBodyFieldLines(model: string): BatchRequestLine[] {
  return [
    {
      custom_id: "missing-model",
      method: "POST",
      url: "/v1/chat/completions",
      body: { messages: [{ role: "user", content: "Hello without model" }], max_tokens: 10 },
    },
    { custom_id: "missing-messages", method: "POST", url: "/v1/chat/completions", body: { model, max_tokens: 10 } },
  ];
}

/** test_batch_endpoint_mismatch: an embeddings URL in a chat completions batch. */
export function endpointMismatchLines(model: string): BatchRequestLine[] {
  return [
    {
      custom_id: "endpoint-mismatch",
      method: "POST",
      url: "/v1/embeddings",
      body: { model, messages: [{ role: "user", content: "Hello" }] },
    },
  ];
}

/** test_batch_invalid_completion_window: every value must be rejected at creation. */
export const INVALID_COMPLETION_WINDOWS: readonly string[] = ["1h", "48h", "invalid", ""];
