import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FilesStore } from "../src/apis/files/store.js";
import { validateBatchInput } from "../src/apis/batches/input.js";
import { pyJsonDumps } from "../src/apis/batches/py-json.js";
import { BatchesService, type BatchDeps } from "../src/apis/batches/service.js";
import { BatchesStore } from "../src/apis/batches/store.js";

const MODEL = "llama-cpp/tiny-llama";
const modelExists = (m: string) => m === MODEL;
const chat = (custom_id: string, body: Record<string, unknown> = {}) => ({
  custom_id,
  method: "POST",
  url: "/v1/chat/completions",
  body: { model: MODEL, messages: [{ role: "user", content: "Hi" }], ...body },
});
const jsonl = (...lines: unknown[]) => lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n");

describe("validateBatchInput", () => {
  const cases: Array<[string, string, string, unknown[]]> = [
    ["invalid json", "/v1/chat/completions", jsonl(chat("a"), "{invalid json"), [
      { code: "invalid_json_line", line: 2, message: "This line is not parseable as valid JSON.", param: null },
    ]],
    ["non-object line", "/v1/chat/completions", "[1]", [
      { code: "invalid_request", line: 1, message: "Each line must be a JSON dictionary object", param: null },
    ]],
    ["missing fields", "/v1/chat/completions", jsonl({ method: "POST", url: "/v1/chat/completions", body: chat("x").body }, { custom_id: "b", url: "/v1/chat/completions", body: chat("x").body }, { custom_id: "c", method: "POST", body: chat("x").body }, { custom_id: "d", method: "POST", url: "/v1/chat/completions" }), [
      { code: "missing_required_parameter", line: 1, message: "Missing required parameter: custom_id", param: "custom_id" },
      { code: "missing_required_parameter", line: 2, message: "Missing required parameter: method", param: "method" },
      { code: "missing_required_parameter", line: 3, message: "Missing required parameter: url", param: "url" },
      { code: "missing_required_parameter", line: 4, message: "Missing required parameter: body", param: "body" },
    ]],
    ["wrong field types", "/v1/chat/completions", jsonl({ custom_id: 1, method: 2, url: 3, body: [] }), [
      { code: "invalid_request", line: 1, message: "Custom_id must be a string", param: "custom_id" },
      { code: "invalid_request", line: 1, message: "Method must be a string", param: "method" },
      { code: "invalid_request", line: 1, message: "URL must be a string", param: "url" },
      { code: "invalid_request", line: 1, message: "Body must be a JSON dictionary object", param: "body" },
    ]],
    ["url mismatch", "/v1/chat/completions", jsonl({ ...chat("a"), url: "/v1/embeddings" }), [
      { code: "invalid_url", line: 1, message: "URL provided for this request does not match the batch endpoint", param: "url" },
    ]],
    ["streaming", "/v1/chat/completions", jsonl(chat("a"), chat("b", { stream: true })), [
      { code: "streaming_unsupported", line: 2, message: "Streaming is not supported in batch processing", param: "body.stream" },
    ]],
    ["missing body fields", "/v1/chat/completions", jsonl({ ...chat("a"), body: { messages: [] } }, { ...chat("b"), body: { model: MODEL } }), [
      { code: "invalid_request", line: 1, message: "Model parameter is required", param: "body.model" },
      { code: "invalid_request", line: 2, message: "Messages parameter is required", param: "body.messages" },
    ]],
    ["wrong body types", "/v1/embeddings", jsonl({ custom_id: "a", method: "POST", url: "/v1/embeddings", body: { model: 5, input: 3 } }), [
      { code: "invalid_request", line: 1, message: "Model must be a string", param: "body.model" },
      { code: "invalid_request", line: 1, message: "Input must be a string or array of strings", param: "body.input" },
    ]],
    ["completions prompt", "/v1/completions", jsonl({ custom_id: "a", method: "POST", url: "/v1/completions", body: { model: MODEL, prompt: ["x"] } }), [
      { code: "invalid_request", line: 1, message: "Prompt must be a string", param: "body.prompt" },
    ]],
    ["unknown model", "/v1/chat/completions", jsonl(chat("a", { model: "nonexistent-model-xyz" })), [
      { code: "model_not_found", line: 1, message: "Model 'nonexistent-model-xyz' does not exist or is not supported", param: "body.model" },
    ]],
  ];

  it.each(cases)("%s", async (_name, endpoint, text, expected) => {
    const { errors, requests } = await validateBatchInput(text, endpoint, modelExists);
    expect(errors).toEqual(expected);
    // A line with any error never becomes a request.
    const failedLines = new Set(errors.map((e) => e.line));
    expect(requests.filter((r) => failedLines.has(r.lineNum))).toEqual([]);
  });

  it("numbers lines after stripping the file and skips blank lines", async () => {
    const { errors, requests } = await validateBatchInput(`\n\n${jsonl(chat("a"))}\n\n{bad\n`, "/v1/chat/completions", modelExists);
    expect(requests.map((r) => [r.lineNum, r.customId])).toEqual([[1, "a"]]);
    expect(errors.map((e) => e.line)).toEqual([3]);
  });
});

describe("pyJsonDumps", () => {
  it("matches Python's json.dumps defaults", () => {
    expect(pyJsonDumps({ a: 1, b: [true, null], c: "é\n\u007f" })).toBe('{"a": 1, "b": [true, null], "c": "\\u00e9\\n\\u007f"}');
  });
});

describe("BatchesService", () => {
  let dir: string;
  let db: Database.Database;
  let files: FilesStore;
  let calls: Array<{ endpoint: string; body: Record<string, unknown> }>;
  let infer: BatchDeps["infer"];
  let svc: BatchesService;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "batches-"));
    db = new Database(join(dir, "db.sqlite"));
    files = new FilesStore({ db, dir: join(dir, "files") });
    calls = [];
    infer = async (endpoint, body) => {
      calls.push({ endpoint, body });
      return { object: "chat.completion", choices: [{ message: { content: "hello" } }] };
    };
    svc = new BatchesService({
      store: new BatchesStore(db),
      deps: { files, modelExists, infer: (e, b, s) => infer(e, b, s) },
    });
  });
  afterEach(async () => {
    await svc.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (text: string) => files.create({ filename: "in.jsonl", purpose: "batch", content: Buffer.from(text) }).id;

  it("runs lines and writes output and error files with upstream's line shapes", async () => {
    const input = upload(jsonl(chat("ok"), { ...chat("bad"), body: { model: MODEL, messages: [{ rolez: "user" }] } }));
    const created = svc.create({ input_file_id: input, endpoint: "/v1/chat/completions", completion_window: "24h" });
    expect(created.status).toBe("validating");
    expect(created.id).toMatch(/^batch_[0-9a-f]{16}$/);
    await svc.idle();
    const done = svc.retrieve(created.id);
    expect(done).toMatchObject({ status: "completed", request_counts: { total: 2, completed: 1, failed: 1 } });
    expect(done.completed_at).toEqual(expect.any(Number));
    const out = files.content(done.output_file_id as string).content.toString();
    expect(JSON.parse(out)).toEqual({
      id: `batch_req_${created.id}_1`,
      custom_id: "ok",
      response: { status_code: 200, request_id: `batch_req_${created.id}_1`, body: expect.stringContaining('"choices"') },
    });
    expect(out.startsWith(`{"id": "batch_req_`)).toBe(true);
    const err = JSON.parse(files.content(done.error_file_id as string).content.toString());
    expect(err).toEqual({
      id: `batch_req_${created.id}_2`,
      custom_id: "bad",
      error: { type: "request_failed", message: "Unknown message role: None" },
    });
    expect(files.retrieve(done.output_file_id as string).filename).toBe(`${created.id}_success.jsonl`);
    expect(calls).toHaveLength(1);
  });

  it("fails validation with all line errors and a missing file with its own error", async () => {
    const bad = svc.create({ input_file_id: upload("{nope"), endpoint: "/v1/chat/completions", completion_window: "24h" });
    const missing = svc.create({ input_file_id: "file-nonexistent-xyz", endpoint: "/v1/chat/completions", completion_window: "24h" });
    await svc.idle();
    expect(svc.retrieve(bad.id)).toMatchObject({ status: "failed", errors: { data: [{ code: "invalid_json_line", line: 1 }] } });
    expect(svc.retrieve(missing.id).errors?.data).toEqual([
      { code: "invalid_request", line: null, message: "Cannot find file file-nonexistent-xyz.", param: "input_file_id" },
    ]);
    expect(svc.retrieve(missing.id).failed_at).toEqual(expect.any(Number));
  });

  it("rejects unknown endpoints and completion windows with upstream's messages", () => {
    expect(() => svc.create({ input_file_id: "f", endpoint: "/v1/invalid/endpoint", completion_window: "24h" })).toThrow(
      "Invalid value: Invalid endpoint: /v1/invalid/endpoint. Supported values: /v1/chat/completions, /v1/completions, /v1/embeddings. Code: invalid_value. Param: endpoint",
    );
    expect(() => svc.create({ input_file_id: "f", endpoint: "/v1/completions", completion_window: "1h" })).toThrow(
      "Invalid value: Invalid completion_window: 1h. Supported values are: 24h. Code: invalid_value. Param: completion_window",
    );
  });

  it("returns the same batch for a reused idempotency key and 409s on different parameters", async () => {
    const params = { input_file_id: "bogus-id", endpoint: "/v1/chat/completions", completion_window: "24h", idempotency_key: "k1" };
    const a = svc.create({ ...params, metadata: { x: "1", y: "2" } });
    const b = svc.create({ ...params, metadata: { y: "2", x: "1" } });
    expect(b.id).toBe(a.id);
    expect(a.id).toMatch(/^batch_[0-9a-f]{24}$/);
    expect(() => svc.create({ ...params, input_file_id: "other" })).toThrow(/Idempotency key 'k1' was previously used with different parameters/);
    await svc.idle();
  });

  it("keeps a new batch queued in validating, so a cancel right after create wins without any inference", async () => {
    const calls: unknown[] = [];
    infer = async (_e, body) => {
      calls.push(body);
      return {};
    };
    const batch = svc.create({ input_file_id: upload(jsonl(chat("a"))), endpoint: "/v1/chat/completions", completion_window: "24h" });
    // Several event-loop turns pass, as between a create response and the client's cancel request.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(svc.retrieve(batch.id).status).toBe("validating");
    expect(svc.cancel(batch.id).status).toBe("cancelling");
    await svc.idle();
    expect(svc.retrieve(batch.id)).toMatchObject({ status: "cancelled", cancelled_at: expect.any(Number) });
    expect(calls).toEqual([]);
  });

  it("starts a queued batch as soon as a client retrieves it, reading the input before the client can delete it", async () => {
    svc = new BatchesService({ store: new BatchesStore(db), deps: { files, modelExists, infer: (e, b, s) => infer(e, b, s) }, pickupDelayMs: 60_000 });
    const fileId = upload(jsonl(chat("a")));
    const batch = svc.create({ input_file_id: fileId, endpoint: "/v1/chat/completions", completion_window: "24h" });
    svc.nudge(batch.id);
    await new Promise((r) => setImmediate(r));
    files.delete(fileId);
    await svc.idle();
    expect(svc.retrieve(batch.id).status).toBe("completed");
    expect(calls).toHaveLength(1);
  });

  it("fails a batch whose input file was deleted before anyone retrieved it, without inference", async () => {
    const fileId = upload(jsonl(chat("a")));
    const batch = svc.create({ input_file_id: fileId, endpoint: "/v1/chat/completions", completion_window: "24h" });
    files.delete(fileId);
    await svc.idle();
    expect(svc.retrieve(batch.id).status).toBe("failed");
    expect(calls).toEqual([]);
  });

  it("cancels a running batch: cancelling, then cancelled; finished batches give 409", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    infer = async (_e, _b, signal) => {
      await gate;
      signal.throwIfAborted();
      return {};
    };
    const batch = svc.create({ input_file_id: upload(jsonl(chat("a"))), endpoint: "/v1/chat/completions", completion_window: "24h" });
    await new Promise((r) => setTimeout(r, 20));
    const cancelling = svc.cancel(batch.id);
    expect(cancelling.status).toBe("cancelling");
    expect(cancelling.cancelling_at).toEqual(expect.any(Number));
    expect(svc.cancel(batch.id).status).toBe("cancelling");
    await svc.idle();
    release();
    const final = svc.retrieve(batch.id);
    expect(final.status).toBe("cancelled");
    expect(final.cancelled_at).toEqual(expect.any(Number));

    infer = async () => ({});
    const other = svc.create({ input_file_id: upload(jsonl(chat("b"))), endpoint: "/v1/chat/completions", completion_window: "24h" });
    await svc.idle();
    expect(() => svc.cancel(other.id)).toThrow(`Cannot cancel batch '${other.id}' with status 'completed'`);
    expect(() => svc.cancel("batch-nonexistent-xyz")).toThrow("Batch 'batch-nonexistent-xyz' not found");
  });

  it("lists newest first with after/limit paging", async () => {
    let t = 100;
    const timed = new BatchesService({ store: new BatchesStore(db), deps: { files, modelExists, infer }, now: () => t++ });
    const ids = [0, 1, 2].map(() => timed.create({ input_file_id: "missing", endpoint: "/v1/embeddings", completion_window: "24h" }).id);
    await timed.idle();
    const page = timed.list(undefined, 2);
    expect(page.data.map((b) => b.id)).toEqual([ids[2], ids[1]]);
    expect(page).toMatchObject({ object: "list", first_id: ids[2], last_id: ids[1], has_more: true });
    const next = timed.list(page.last_id, 2);
    expect(next.data.map((b) => b.id)).toEqual([ids[0]]);
    expect(next.has_more).toBe(false);
  });
});
