import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAT_MODEL, EMBED_MODEL, pollUntil, type RoutesHarness, startRoutesHarness } from "./files-routes-harness.js";

let h: RoutesHarness;
beforeAll(async () => {
  h = await startRoutesHarness();
});
afterAll(async () => {
  await h.close();
});

const line = (custom_id: string, url: string, body: Record<string, unknown>) =>
  JSON.stringify({ custom_id, method: "POST", url, body });

async function uploadBatchFile(lines: string[]): Promise<string> {
  const res = await h.upload(lines.join("\n"), "input.jsonl", { purpose: "batch" });
  expect(res.status).toBe(200);
  return res.body.id;
}

const finished = (b: { status: string }) => ["completed", "failed", "cancelled"].includes(b.status);

describe("batches routes", () => {
  it("runs chat, completion and embedding lines through inference and writes the output file", async () => {
    const chatFile = await uploadBatchFile([
      line("c1", "/v1/chat/completions", { model: CHAT_MODEL, messages: [{ role: "user", content: "hi" }] }),
      line("c2", "/v1/chat/completions", { model: CHAT_MODEL, messages: [{ role: "user", content: "yo" }] }),
    ]);
    const created = await h.call("POST", "/v1/batches", {
      input_file_id: chatFile,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
      metadata: { run: "1" },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ object: "batch", status: "validating", metadata: { run: "1" }, input_file_id: chatFile });
    const done = await pollUntil(h, `/v1/batches/${created.body.id}`, finished);
    expect(done.status).toBe("completed");
    expect(done.request_counts).toEqual({ total: 2, completed: 2, failed: 0 });

    const output = await h.call("GET", `/v1/files/${done.output_file_id}/content`);
    const results = String(output.body).split("\n").map((l) => JSON.parse(l));
    expect(results.map((r) => r.custom_id).sort()).toEqual(["c1", "c2"]);
    expect(JSON.parse(results[0].response.body).choices[0].message.content).toBe("hello there");
    // The worker sent the provider the line's body with the provider's model id.
    const sent = h.chat.requests.filter((r) => r.path === "/v1/chat/completions").map((r) => r.body.messages);
    expect(sent).toEqual(expect.arrayContaining([[{ role: "user", content: "hi" }], [{ role: "user", content: "yo" }]]));

    const embedFile = await uploadBatchFile([line("e1", "/v1/embeddings", { model: EMBED_MODEL, input: "text" })]);
    const emb = await h.call("POST", "/v1/batches", { input_file_id: embedFile, endpoint: "/v1/embeddings", completion_window: "24h" });
    const embDone = await pollUntil(h, `/v1/batches/${emb.body.id}`, finished);
    expect(embDone.request_counts).toEqual({ total: 1, completed: 1, failed: 0 });

    const cancel = await h.call("POST", `/v1/batches/${created.body.id}/cancel`);
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.detail).toBe(`Cannot cancel batch '${created.body.id}' with status 'completed'`);

    const list = await h.call("GET", "/v1/batches?limit=1");
    expect(list.body).toMatchObject({ object: "list", has_more: true });
    expect(list.body.data).toHaveLength(1);
  });

  it("runs the worker in the creating request's context, so provider calls carry its test id", async () => {
    const file = await uploadBatchFile([line("t", "/v1/completions", { model: CHAT_MODEL, prompt: "Once" })]);
    const testId = "tests/integration/batches/test_batches.py::test_context";
    const from = h.inferenceTestIds.length;
    const created = await h.call(
      "POST",
      "/v1/batches",
      { input_file_id: file, endpoint: "/v1/completions", completion_window: "24h" },
      { "X-LlamaStack-Provider-Data": JSON.stringify({ __test_id: testId }) },
    );
    const done = await pollUntil(h, `/v1/batches/${created.body.id}`, finished);
    expect(done.status).toBe("completed");
    expect(h.inferenceTestIds.slice(from)).toEqual([testId]);
  });

  it("fails a batch whose lines name an unknown model, with per-line errors", async () => {
    const file = await uploadBatchFile([
      line("x", "/v1/chat/completions", { model: "nope/model", messages: [{ role: "user", content: "hi" }] }),
    ]);
    const created = await h.call("POST", "/v1/batches", { input_file_id: file, endpoint: "/v1/chat/completions", completion_window: "24h" });
    const done = await pollUntil(h, `/v1/batches/${created.body.id}`, finished);
    expect(done.status).toBe("failed");
    expect(done.errors.data[0]).toMatchObject({ code: "model_not_found", line: 1, param: "body.model" });
  });

  it("returns the same batch for a reused idempotency key and 409s when its parameters change", async () => {
    const file = await uploadBatchFile([line("a", "/v1/embeddings", { model: EMBED_MODEL, input: "a" })]);
    const params = { input_file_id: file, endpoint: "/v1/embeddings", completion_window: "24h", idempotency_key: "key-1" };
    const first = await h.call("POST", "/v1/batches", params);
    const again = await h.call("POST", "/v1/batches", params);
    expect(again.body.id).toBe(first.body.id);
    const changed = await h.call("POST", "/v1/batches", { ...params, metadata: { k: "v" } });
    expect(changed.status).toBe(409);
    expect(changed.body.error.detail).toBe(
      "Idempotency key 'key-1' was previously used with different parameters. Either use a new idempotency key or ensure all parameters match the original request.",
    );
    await pollUntil(h, `/v1/batches/${first.body.id}`, finished);
  });

  it.each<[string, string, string, unknown, number, unknown]>([
    ["missing fields", "POST", "/v1/batches", {}, 400, {
      errors: [
        { loc: ["body", "input_file_id"], msg: "Field required", type: "missing" },
        { loc: ["body", "endpoint"], msg: "Field required", type: "missing" },
        { loc: ["body", "completion_window"], msg: "Field required", type: "missing" },
      ],
    }],
    ["a completion window other than 24h", "POST", "/v1/batches",
      { input_file_id: "f", endpoint: "/v1/completions", completion_window: "1h" }, 400, {
        errors: [{ loc: ["body", "completion_window"], msg: "Input should be '24h'", type: "literal_error" }],
      }],
    ["metadata values that are not strings", "POST", "/v1/batches",
      { input_file_id: "f", endpoint: "/v1/completions", completion_window: "24h", metadata: { a: 1 } }, 400, {
        errors: [{ loc: ["body", "metadata", "a"], msg: "Input should be a valid string", type: "string_type" }],
      }],
    ["an unsupported endpoint", "POST", "/v1/batches",
      { input_file_id: "f", endpoint: "/v1/invalid/endpoint", completion_window: "24h" }, 400,
      "Invalid value: Invalid endpoint: /v1/invalid/endpoint. Supported values: /v1/chat/completions, /v1/completions, /v1/embeddings. Code: invalid_value. Param: endpoint"],
    ["a non-integer limit", "GET", "/v1/batches?limit=ten", undefined, 400, null],
    ["retrieving an unknown batch", "GET", "/v1/batches/batch-nonexistent-xyz", undefined, 404,
      "Batch 'batch-nonexistent-xyz' not found. Use 'batches.list()' to list available Batchs."],
    ["cancelling an unknown batch", "POST", "/v1/batches/batch-nonexistent-xyz/cancel", undefined, 404,
      "Batch 'batch-nonexistent-xyz' not found. Use 'batches.list()' to list available Batchs."],
  ])("rejects %s", async (_name, method, path, body, status, detail) => {
    const res = await h.call(method, path, body);
    expect(res.status).toBe(status);
    if (detail === null) expect(res.body.error.detail.errors[0].loc).toEqual(["query", "limit"]);
    else expect(res.body.error.detail).toEqual(detail);
  });
});
