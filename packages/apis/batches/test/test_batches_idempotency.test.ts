import { upstreamTest } from "@llama-stack-tests/stack";
import type { BatchCreateParams } from "openai/resources/batches";
import { untilSecondAfter } from "@llama-stack-tests/test-fixtures";
import { expect } from "vitest";

import { captureFailure } from "./api-failure.js";

const file = "tests/integration/batches/test_batches_idempotency.py";
const cls = "TestBatchesIdempotencyIntegration";

/**
 * A chat-completions batch with Llama Stack's idempotency_key, an extra body field the OpenAI SDK
 * does not type. Field order matches upstream's request body.
 */
function idempotentChatBatch(inputFileId: string, metadata: Record<string, string>, key: string): BatchCreateParams {
  const params = {
    input_file_id: inputFileId,
    endpoint: "/v1/chat/completions",
    completion_window: "24h",
    metadata,
    idempotency_key: key,
  };
  return params as BatchCreateParams;
}


upstreamTest({ file, name: `${cls}::test_idempotent_batch_creation_successful` }, async (t) => {
  const key = "test-idempotency-token-1";
  const batch1 = await t.openai.batches.create(
    idempotentChatBatch("bogus-id", { test_type: "idempotency_success", purpose: "integration_test" }, key),
  );

  // Upstream sleeps a second so that a second batch, if wrongly created, would get another created_at.
  await untilSecondAfter(batch1.created_at);

  // Same metadata in a different order.
  const batch2 = await t.openai.batches.create(
    idempotentChatBatch("bogus-id", { purpose: "integration_test", test_type: "idempotency_success" }, key),
  );

  expect(batch1.id).toBe(batch2.id);
  expect(batch1.input_file_id).toBe(batch2.input_file_id);
  expect(batch1.endpoint).toBe(batch2.endpoint);
  expect(batch1.completion_window).toBe(batch2.completion_window);
  expect(batch1.metadata).toEqual(batch2.metadata);
  expect(batch1.created_at).toBe(batch2.created_at);
});

upstreamTest({ file, name: `${cls}::test_idempotency_conflict_with_different_params` }, async (t) => {
  const key = "conflict-token";
  const batch1 = await t.openai.batches.create(idempotentChatBatch("bogus-id-1", { test_type: "conflict_test_1" }, key));

  const failure = await captureFailure(t.openai, (c) =>
    c.batches.create(idempotentChatBatch("bogus-id-2", { test_type: "conflict_test_2" }, key)),
  );
  expect(failure.status).toBe(409);
  expect(failure.text.toLowerCase()).toContain("conflict");

  const retrieved = await t.openai.batches.retrieve(batch1.id);
  expect(retrieved.id).toBe(batch1.id);
  expect(retrieved.input_file_id).toBe("bogus-id-1");
});
