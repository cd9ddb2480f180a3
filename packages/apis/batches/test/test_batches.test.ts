import { upstreamTest } from "@llama-stack-tests/stack";
import type OpenAI from "openai";
import type { Batch } from "openai/resources/batches";
import { expect } from "vitest";

import { batchHelper, WAIT_COMPLETED_OR_SKIP } from "./batch-helper.js";
import { CREATION_METADATA, chatLine, e2eChatLines, e2eCompletionLines, e2eEmbeddingLines } from "./data/batch-requests.js";
import { modelId } from "./models.js";

const file = "tests/integration/batches/test_batches.py";
const cls = "TestBatchesIntegration";
const text = { file, models: ["text_model_id"] } as const;

/** Output and error files as text (openai-node answers files.content with a fetch Response). */
async function fileText(t: { openai: { files: { content(id: string): Promise<Response> } } }, id: string): Promise<string> {
  return (await t.openai.files.content(id)).text();
}

type Json = Record<string, unknown>;

function jsonLines(text: string): Json[] {
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Json);
}

/** Python's `key in value` on a decoded JSON body: a key of a dict, or a substring of a str. */
function pyIn(key: string, value: unknown): boolean {
  if (typeof value === "string") return value.includes(key);
  return typeof value === "object" && value !== null && key in value;
}

/** The batch completed all `total` of its requests and has an output file; returns that file's id. */
function expectAllCompleted(finalBatch: Batch, total: number): string {
  expect(finalBatch.status).toBe("completed");
  expect(finalBatch.request_counts?.total).toBe(total);
  expect(finalBatch.request_counts?.completed).toBe(total);
  const outputId = finalBatch.output_file_id;
  expect(outputId).toBeTruthy();
  return outputId ?? "";
}

/** Deletes the batch's output file and, when there is one, its error file. */
async function deleteResultFiles(t: { openai: OpenAI }, finalBatch: Batch): Promise<void> {
  expect((await t.openai.files.delete(finalBatch.output_file_id ?? "")).deleted).toBe(true);
  if (finalBatch.error_file_id != null) expect((await t.openai.files.delete(finalBatch.error_file_id)).deleted).toBe(true);
}

upstreamTest({ ...text, name: `${cls}::test_batch_creation_and_retrieval` }, async (t) => {
  const helper = batchHelper(t);
  const requests = [chatLine("request-1", modelId(t, "text"), "Hello")];
  await helper.withFile(
    requests,
    async (uploaded) => {
      const batch = await t.openai.batches.create({
        input_file_id: uploaded.id,
        endpoint: "/v1/chat/completions",
        completion_window: "24h",
        metadata: { ...CREATION_METADATA },
      });
      expect(batch.endpoint).toBe("/v1/chat/completions");
      expect(batch.input_file_id).toBe(uploaded.id);
      expect(batch.completion_window).toBe("24h");
      expect(batch.metadata).toEqual(CREATION_METADATA);

      const retrieved = await t.openai.batches.retrieve(batch.id);
      expect(retrieved.id).toBe(batch.id);
      expect(retrieved.object).toBe(batch.object);
      expect(retrieved.endpoint).toBe(batch.endpoint);
      expect(retrieved.input_file_id).toBe(batch.input_file_id);
      expect(retrieved.completion_window).toBe(batch.completion_window);
      expect(retrieved.metadata).toEqual(batch.metadata);
    },
    "batch_creation_test",
  );
});

upstreamTest({ ...text, name: `${cls}::test_batch_listing` }, async (t) => {
  const helper = batchHelper(t);
  const batchIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    // The input file is deleted before the batch runs, so the batches fail without inference.
    await helper.withFile(
      [chatLine(`request-${i}`, modelId(t, "text"), `Hello ${i}`)],
      async (uploaded) => {
        const batch = await t.openai.batches.create({
          input_file_id: uploaded.id,
          endpoint: "/v1/chat/completions",
          completion_window: "24h",
        });
        batchIds.push(batch.id);
      },
      `batch_input_${i}`,
    );
  }

  const list = await t.openai.batches.list();
  expect(Array.isArray(list.data)).toBe(true);
  const listed = new Set(list.data.map((b) => b.id));
  for (const id of batchIds) expect(listed.has(id), `batch ${id} missing from the list`).toBe(true);
});

upstreamTest({ ...text, name: `${cls}::test_batch_immediate_cancellation` }, async (t) => {
  const helper = batchHelper(t);
  const finalBatch = await helper.withFile([chatLine("request-1", modelId(t, "text"), "Hello")], async (uploaded) => {
    const batch = await t.openai.batches.create({
      input_file_id: uploaded.id,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
    });
    const cancelling = await t.openai.batches.cancel(batch.id);
    expect(["cancelling", "cancelled"]).toContain(cancelling.status);
    expect(Number.isInteger(cancelling.cancelling_at), `cancelling_at should be int, got ${cancelling.cancelling_at}`).toBe(true);
    return helper.waitFor(batch.id, { maxWaitTime: 3 * 60, expectedStatuses: ["cancelled"], timeoutAction: "skip" });
  });
  expect(finalBatch.status).toBe("cancelled");
  expect(Number.isInteger(finalBatch.cancelled_at), `cancelled_at should be int, got ${finalBatch.cancelled_at}`).toBe(true);
});

upstreamTest({ ...text, name: `${cls}::test_batch_e2e_chat_completions` }, async (t) => {
  const finalBatch = await batchHelper(t).run(e2eChatLines(modelId(t, "text")), {
    endpoint: "/v1/chat/completions",
    metadata: { test: "e2e_success_and_errors_test" },
    wait: WAIT_COMPLETED_OR_SKIP,
  });

  expect(finalBatch.status).toBe("completed");
  expect(finalBatch.request_counts).toBeDefined();
  expect(finalBatch.request_counts?.total).toBe(2);
  expect(finalBatch.request_counts?.completed).toBe(1);
  expect(finalBatch.request_counts?.failed).toBe(1);

  const outputId = finalBatch.output_file_id;
  expect(outputId, "Output file should exist for successful requests").toBeTruthy();
  for (const result of jsonLines(await fileText(t, outputId ?? ""))) {
    expect(result).toHaveProperty("id");
    expect(result).toHaveProperty("custom_id");
    expect(result["custom_id"]).toBe("success-1");
    expect(result).toHaveProperty("response");
    const response = result["response"] as Json;
    expect(response["status_code"]).toBe(200);
    expect(response).toHaveProperty("body");
    expect(pyIn("choices", response["body"])).toBe(true);
  }

  const errorId = finalBatch.error_file_id;
  expect(errorId, "Error file should exist for failed requests").toBeTruthy();
  for (const result of jsonLines(await fileText(t, errorId ?? ""))) {
    expect(result).toHaveProperty("id");
    expect(result).toHaveProperty("custom_id");
    expect(result["custom_id"]).toBe("error-1");
    expect(result).toHaveProperty("error");
    const error = result["error"];
    expect(error).not.toBeNull();
    expect(pyIn("code", error) || pyIn("message", error), "Error should have code or message").toBe(true);
  }

  expect((await t.openai.files.delete(outputId ?? "")).deleted, `Output file ${outputId} was not deleted successfully`).toBe(true);
  expect((await t.openai.files.delete(errorId ?? "")).deleted, `Error file ${errorId} was not deleted successfully`).toBe(true);
});

upstreamTest({ ...text, name: `${cls}::test_batch_e2e_completions` }, async (t) => {
  const finalBatch = await batchHelper(t).run(e2eCompletionLines(modelId(t, "text")), {
    endpoint: "/v1/completions",
    metadata: { test: "e2e_completions_success" },
    wait: WAIT_COMPLETED_OR_SKIP,
  });

  const outputId = expectAllCompleted(finalBatch, 1);

  const lines = (await fileText(t, outputId)).trim().split("\n");
  expect(lines).toHaveLength(1);
  const result = JSON.parse(lines[0] ?? "") as Json;
  expect(result["custom_id"]).toBe("success-1");
  expect(result).toHaveProperty("response");
  expect((result["response"] as Json)["status_code"]).toBe(200);

  await deleteResultFiles(t, finalBatch);
});

upstreamTest({ file, models: ["embedding_model_id"], name: `${cls}::test_batch_e2e_embeddings` }, async (t) => {
  const finalBatch = await batchHelper(t).run(e2eEmbeddingLines(modelId(t, "embedding")), {
    endpoint: "/v1/embeddings",
    metadata: { test: "e2e_embeddings_success" },
    wait: WAIT_COMPLETED_OR_SKIP,
  });

  const outputId = expectAllCompleted(finalBatch, 2);

  const lines = jsonLines(await fileText(t, outputId));
  expect(lines).toHaveLength(2);
  const expectedCounts = [1, 3];
  lines.forEach((result, lineIndex) => {
    expect(["success-1", "success-2"]).toContain(result["custom_id"]);
    expect(result).toHaveProperty("response");
    const response = result["response"] as Json;
    expect(response["status_code"]).toBe(200);
    // Upstream decodes the embeddings body with json.loads: it is a JSON string, not an object.
    expect(typeof response["body"]).toBe("string");
    const body = JSON.parse(response["body"] as string) as { object?: string; data?: Json[] };
    expect(body.object).toBe("list");
    expect(body).toHaveProperty("data");
    expect(body.data).toHaveLength(expectedCounts[lineIndex] ?? -1);
    (body.data ?? []).forEach((embedding, i) => {
      expect(embedding).toHaveProperty("embedding");
      expect(embedding).toHaveProperty("index");
      expect(embedding["index"]).toBe(i);
    });
  });

  await deleteResultFiles(t, finalBatch);
});
