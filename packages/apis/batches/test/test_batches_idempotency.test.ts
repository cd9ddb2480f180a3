import { upstreamTest } from "@llama-stack-tests/stack";
import type { BatchCreateParams } from "openai/resources/batches";
import { expect } from "vitest";

import { captureFailure } from "./api-failure.js";

const file = "tests/integration/batches/test_batches_idempotency.py";
const cls = "TestBatchesIdempotencyIntegration";

/** Llama Stack's idempotency_key is an extra body field the OpenAI SDK does not type. */
function withIdempotencyKey(params: BatchCreateParams, key: string): BatchCreateParams {
  return { ...params, idempotency_key: key } as BatchCreateParams;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

upstreamTest({ file, name: `${cls}::test_idempotent_batch_creation_successful` }, async (t) => {
  const batch1 = await t.openai.batches.create(
    withIdempotencyKey(
      {
        input_file_id: "bogus-id",
        endpoint: "/v1/chat/completions",
        completion_window: "24h",
        metadata: { test_type: "idempotency_success", purpose: "integration_test" },
      },
      "test-idempotency-token-1",
    ),
  );

  // Upstream sleeps so that a second batch, if wrongly created, would get another created_at.
  await sleep(1000);

  const batch2 = await t.openai.batches.create(
    withIdempotencyKey(
      {
        input_file_id: "bogus-id",
        endpoint: "/v1/chat/completions",
        completion_window: "24h",
        metadata: { purpose: "integration_test", test_type: "idempotency_success" }, // different order
      },
      "test-idempotency-token-1",
    ),
  );

  expect(batch1.id).toBe(batch2.id);
  expect(batch1.input_file_id).toBe(batch2.input_file_id);
  expect(batch1.endpoint).toBe(batch2.endpoint);
  expect(batch1.completion_window).toBe(batch2.completion_window);
  expect(batch1.metadata).toEqual(batch2.metadata);
  expect(batch1.created_at).toBe(batch2.created_at);
});

upstreamTest({ file, name: `${cls}::test_idempotency_conflict_with_different_params` }, async (t) => {
  const batch1 = await t.openai.batches.create(
    withIdempotencyKey(
      {
        input_file_id: "bogus-id-1",
        endpoint: "/v1/chat/completions",
        completion_window: "24h",
        metadata: { test_type: "conflict_test_1" },
      },
      "conflict-token",
    ),
  );

  const failure = await captureFailure(t.openai, (c) =>
    c.batches.create(
      withIdempotencyKey(
        {
          input_file_id: "bogus-id-2",
          endpoint: "/v1/chat/completions",
          completion_window: "24h",
          metadata: { test_type: "conflict_test_2" },
        },
        "conflict-token",
      ),
    ),
  );
  expect(failure.status).toBe(409);
  expect(failure.text.toLowerCase()).toContain("conflict");

  const retrieved = await t.openai.batches.retrieve(batch1.id);
  expect(retrieved.id).toBe(batch1.id);
  expect(retrieved.input_file_id).toBe("bogus-id-1");
});
