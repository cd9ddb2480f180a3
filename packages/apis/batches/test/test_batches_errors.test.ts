import { upstreamTest } from "@llama-stack-tests/stack";
import { toFile } from "openai";
import type { Batch, BatchCreateParams } from "openai/resources/batches";
import { expect } from "vitest";

import { captureFailure } from "./api-failure.js";
import { batchHelper, WAIT_COMPLETED_OR_SKIP, WAIT_FAILED } from "./batch-helper.js";
import {
  INVALID_COMPLETION_WINDOWS,
  MALFORMED_JSONL,
  chatLine,
  endpointMismatchLines,
  missingBodyFieldLines,
  missingFieldLines,
} from "./data/batch-requests.js";
import { modelId } from "./models.js";

const file = "tests/integration/batches/test_batches_errors.py";
const cls = "TestBatchesErrorHandling";
const text = { file, models: ["text_model_id"] } as const;

interface LineError {
  line: number;
  code: string;
  /** Substrings of the lowercased message. */
  messageIncludes: readonly string[];
  param?: string;
}

/** The batch failed on exactly one input line, with this error. */
function expectOneLineError(finalBatch: Batch, expected: LineError): void {
  expect(finalBatch.status).toBe("failed");
  expect(finalBatch.errors?.data).toHaveLength(1);
  const error = finalBatch.errors?.data?.[0];
  expect(error?.code).toBe(expected.code);
  expect(error?.line).toBe(expected.line);
  for (const part of expected.messageIncludes) expect(error?.message?.toLowerCase()).toContain(part);
  if (expected.param !== undefined) expect(error?.param).toBe(expected.param);
  expect(finalBatch.failed_at).toBeTruthy();
}

/** Creation parameters upstream sends with values outside the SDK's types (bad windows, list metadata). */
function untyped(params: Record<string, unknown>): BatchCreateParams {
  return params as unknown as BatchCreateParams;
}

upstreamTest({ file, name: `${cls}::test_batch_nonexistent_file_id` }, async (t) => {
  const batch = await t.openai.batches.create({
    input_file_id: "file-nonexistent-xyz",
    endpoint: "/v1/chat/completions",
    completion_window: "24h",
  });
  const finalBatch = await batchHelper(t).waitFor(batch.id, WAIT_FAILED);

  expect(finalBatch.status).toBe("failed");
  expect(finalBatch.errors).toBeTruthy();
  expect(finalBatch.errors?.data).toHaveLength(1);
  const error = finalBatch.errors?.data?.[0];
  expect(error?.code).toBe("invalid_request");
  expect(error?.message?.toLowerCase()).toContain("cannot find file");
});

upstreamTest({ ...text, name: `${cls}::test_batch_invalid_endpoint` }, async (t) => {
  await batchHelper(t).withFile([chatLine("invalid-endpoint", modelId(t, "text"), "Hello")], async (uploaded) => {
    const failure = await captureFailure(t.openai, (c) =>
      c.batches.create(untyped({ input_file_id: uploaded.id, endpoint: "/v1/invalid/endpoint", completion_window: "24h" })),
    );
    const msg = failure.text.toLowerCase();
    expect(failure.status).toBe(400);
    expect(msg).toContain("invalid value");
    expect(msg).toContain("/v1/invalid/endpoint");
    expect(msg).toContain("supported values");
    expect(msg).toContain("endpoint");
    expect(msg).toContain("invalid_value");
  });
});

upstreamTest({ file, name: `${cls}::test_batch_malformed_jsonl` }, async (t) => {
  const finalBatch = await batchHelper(t).run(MALFORMED_JSONL, {
    wait: WAIT_FAILED,
    filenamePrefix: "malformed_batch_input.jsonl",
  });

  expect(finalBatch.status).toBe("failed");
  const errors = finalBatch.errors?.data ?? [];
  expect(errors.length).toBeGreaterThan(0);
  // The last error: the first may be about the "test" model.
  const error = errors[errors.length - 1];
  expect(error?.code).toBe("invalid_json_line");
  expect(error?.line).toBe(2);
  expect(error?.message?.toLowerCase()).toContain("not");
  expect(error?.message?.toLowerCase()).toContain("valid json");
});

// Upstream marks this xfail: "Not all file providers validate content". Of Llama Stack's files
// providers only remote::openai (OpenAI's service) validates batch JSONL at upload. Like the xfail,
// the body runs everywhere: a provider that accepts the upload skips with that reason (it asks no
// provider list, so the stack's provider traffic stays what upstream's was).
upstreamTest(
  {
    file,
    name: `${cls}::test_file_malformed_batch_file`,
    cases: [
      { id: "empty", value: "" },
      { id: "malformed", value: "{malformed json" },
    ],
  },
  async (t) => {
    const file = await toFile(Buffer.from(t.param, "utf8"), "malformed_batch_input_file.jsonl");
    let acceptedId: string | undefined;
    const failure = await captureFailure(t.openai, async (c) => {
      acceptedId = (await c.files.create({ file, purpose: "batch" })).id;
    }).catch((error: unknown) => {
      if (acceptedId === undefined) throw error;
    });
    if (!failure) {
      // Upstream's helper deletes a file the provider accepted.
      await t.openai.files.delete(acceptedId!);
      return t.skip("upstream xfail: the files provider accepted malformed batch content (not all file providers validate content)");
    }
    const msg = failure.text.toLowerCase();
    expect(failure.status).toBe(400);
    expect(msg).toContain("invalid file format");
    expect(msg).toContain("jsonl");
  },
);

upstreamTest({ file, name: `${cls}::test_batch_retrieve_nonexistent` }, async (t) => {
  const failure = await captureFailure(t.openai, (c) => c.batches.retrieve("batch-nonexistent-xyz"));
  const msg = failure.text.toLowerCase();
  expect(failure.status).toBe(404);
  expect(msg.includes("no batch found") || msg.includes("not found"), msg).toBe(true);
});

upstreamTest({ file, name: `${cls}::test_batch_cancel_nonexistent` }, async (t) => {
  const failure = await captureFailure(t.openai, (c) => c.batches.cancel("batch-nonexistent-xyz"));
  const msg = failure.text.toLowerCase();
  expect(failure.status).toBe(404);
  expect(msg.includes("no batch found") || msg.includes("not found"), msg).toBe(true);
});

upstreamTest({ ...text, name: `${cls}::test_batch_cancel_completed` }, async (t) => {
  const input = [chatLine("cancel-completed", modelId(t, "text"), "Quick test", { max_tokens: 5 })];
  const finalBatch = await batchHelper(t).run(input, { wait: WAIT_COMPLETED_OR_SKIP, filenamePrefix: "cancel_test_batch_input" });

  const outputId = finalBatch.output_file_id ?? "";
  expect((await t.openai.files.delete(outputId)).deleted, `File ${outputId} was not deleted successfully`).toBe(true);

  const failure = await captureFailure(t.openai, (c) => c.batches.cancel(finalBatch.id));
  expect(failure.status).toBe(409);
  expect(failure.text.toLowerCase()).toContain("cannot cancel");
});

upstreamTest({ ...text, name: `${cls}::test_batch_missing_required_fields` }, async (t) => {
  const finalBatch = await batchHelper(t).run(missingFieldLines(modelId(t, "text")), {
    wait: WAIT_FAILED,
    filenamePrefix: "missing_fields_batch_input",
  });

  expect(finalBatch.status).toBe("failed");
  const errors = finalBatch.errors?.data ?? [];
  expect(errors).toHaveLength(4);
  ["custom_id", "method", "url", "body"].forEach((field, i) => {
    const error = errors[i];
    expect(error?.code).toBe("missing_required_parameter");
    expect(error?.line).toBe(i + 1);
    expect(error?.message?.toLowerCase()).toContain("missing");
    expect(error?.message?.toLowerCase()).toContain(field);
  });
});

upstreamTest({ ...text, name: `${cls}::test_batch_invalid_completion_window` }, async (t) => {
  await batchHelper(t).withFile([chatLine("invalid-completion-window", modelId(t, "text"), "Hello")], async (uploaded) => {
    let last: Awaited<ReturnType<typeof captureFailure>> | undefined;
    for (const window of INVALID_COMPLETION_WINDOWS) {
      last = await captureFailure(t.openai, (c) =>
        c.batches.create(untyped({ input_file_id: uploaded.id, endpoint: "/v1/chat/completions", completion_window: window })),
      );
      expect(last.status, `completion_window=${JSON.stringify(window)}`).toBe(400);
    }
    // Upstream checks the message of the last window only.
    const msg = (last?.text ?? "").toLowerCase();
    expect(msg).toContain("error");
    expect(msg).toContain("completion_window");
  });
});

upstreamTest({ ...text, name: `${cls}::test_batch_streaming_not_supported` }, async (t) => {
  const finalBatch = await batchHelper(t).run([chatLine("streaming-test", modelId(t, "text"), "Hello", { stream: true })], {
    wait: WAIT_FAILED,
    filenamePrefix: "streaming_batch_input",
  });

  expectOneLineError(finalBatch, {
    line: 1,
    code: "streaming_unsupported",
    messageIncludes: ["streaming", "not supported"],
    param: "body.stream",
  });
});

upstreamTest({ ...text, name: `${cls}::test_batch_mixed_streaming_requests` }, async (t) => {
  const model = modelId(t, "text");
  const finalBatch = await batchHelper(t).run(
    [
      chatLine("valid-non-streaming-request", model, "Hello without streaming"),
      chatLine("streaming-request", model, "Hello with streaming", { stream: true }),
    ],
    { wait: WAIT_FAILED, filenamePrefix: "mixed_streaming_batch_input" },
  );

  expectOneLineError(finalBatch, {
    line: 2,
    code: "streaming_unsupported",
    messageIncludes: ["streaming", "not supported"],
    param: "body.stream",
  });
});

upstreamTest({ ...text, name: `${cls}::test_batch_endpoint_mismatch` }, async (t) => {
  const finalBatch = await batchHelper(t).run(endpointMismatchLines(modelId(t, "text")), {
    wait: WAIT_FAILED,
    filenamePrefix: "endpoint_mismatch_batch_input",
  });

  expectOneLineError(finalBatch, { line: 1, code: "invalid_url", messageIncludes: ["does not match", "endpoint"] });
});

upstreamTest({ file, name: `${cls}::test_batch_error_handling_invalid_model` }, async (t) => {
  const input = [chatLine("invalid-model", "nonexistent-model-xyz", "Hello")];
  const finalBatch = await batchHelper(t).run(input, { wait: WAIT_FAILED });

  expectOneLineError(finalBatch, { line: 1, code: "model_not_found", messageIncludes: ["not supported"], param: "body.model" });
});

upstreamTest({ ...text, name: `${cls}::test_batch_missing_required_body_fields` }, async (t) => {
  const finalBatch = await batchHelper(t).run(missingBodyFieldLines(modelId(t, "text")), {
    wait: WAIT_FAILED,
    filenamePrefix: "missing_body_fields_batch_input",
  });

  expect(finalBatch.status).toBe("failed");
  const errors = finalBatch.errors?.data ?? [];
  expect(errors).toHaveLength(2);
  expect(errors[0]?.line).toBe(1);
  expect(errors[0]?.message?.toLowerCase()).toContain("model");
  expect(errors[0]?.param).toBe("body.model");
  expect(errors[1]?.line).toBe(2);
  expect(errors[1]?.message?.toLowerCase()).toContain("messages");
  expect(errors[1]?.param).toBe("body.messages");
  expect(finalBatch.failed_at).toBeTruthy();
});

upstreamTest({ ...text, name: `${cls}::test_batch_invalid_metadata_types` }, async (t) => {
  const failure = await batchHelper(t).withFile([chatLine("invalid-metadata-type", modelId(t, "text"), "Hello")], (uploaded) =>
    captureFailure(t.openai, (c) =>
      c.batches.create(
        untyped({
          input_file_id: uploaded.id,
          endpoint: "/v1/chat/completions",
          completion_window: "24h",
          metadata: { tags: ["tag1", "tag2"] },
        }),
      ),
    ),
  );
  const msg = failure.text.toLowerCase();
  expect(msg).toContain("400");
  expect(msg).toContain("tags");
  expect(msg).toContain("string");
});
