import { createHash, randomUUID } from "node:crypto";
import { pickupAfter } from "../../server/pickup.js";
import { InvalidValueError, ResourceNotFoundError } from "../files/errors.js";
import type { IdMinter } from "../files/store.js";
import type { OpenAIFileObject, NewFile } from "../files/types.js";
import { validateBatchInput, type ModelLookup } from "./input.js";
import { pyJsonDumps } from "./py-json.js";
import { BatchesStore } from "./store.js";
import {
  BATCH_ENDPOINTS,
  type BatchError,
  type BatchObject,
  type BatchRequest,
  type BatchResultLine,
  type CreateBatchParams,
  type ListBatchesResponse,
} from "./types.js";

/** 409 for idempotency conflicts and cancelling finished batches. */
export class BatchConflictError extends Error {
  readonly statusCode = 409;
  constructor(message: string) {
    super(message);
    this.name = "BatchConflictError";
  }
}

/** What the worker needs from the rest of the stack. */
export interface BatchDeps {
  files: {
    retrieve(id: string): OpenAIFileObject;
    content(id: string): { content: Buffer };
    create(file: NewFile): OpenAIFileObject;
  };
  modelExists: ModelLookup;
  /** Runs one request body against an endpoint; rejects with the error upstream would turn into `request_failed`. */
  infer(endpoint: string, body: Record<string, unknown>, signal: AbortSignal): Promise<unknown>;
}

export interface BatchesServiceOptions {
  store: BatchesStore;
  deps: BatchDeps;
  mintId?: IdMinter;
  now?: () => number;
  /** Batches processed at once (upstream default 1). */
  maxConcurrentBatches?: number;
  /** Requests of one batch in flight at once (upstream default 10). */
  maxConcurrentRequestsPerBatch?: number;
  /** How long a new batch stays queued in `validating` unless retrieved first (default 100 ms). */
  pickupDelayMs?: number;
}

/**
 * Upstream's worker is a background task that advances only between awaits on its key-value store,
 * files and models APIs, so a client that cancels, or deletes the input file, right after creating
 * wins the race, while one that first retrieves the batch gives the worker time to read its input
 * (upstream's recordings show both). This stack's storage is synchronous, so a new batch waits in
 * `validating` until the client retrieves it or this delay passes, whichever comes first: the same
 * ordering, deterministically. Clients poll, which starts it, so it costs them nothing; the delay is
 * long enough that a loaded machine (or a pool of stacks in one process) does not reorder them.
 */
const DEFAULT_PICKUP_DELAY_MS = 1_000;

const CANCEL_REASON = "batch cancelled";

/**
 * Batch lifecycle as upstream's reference provider: create -> validating -> in_progress -> completed,
 * or failed on input errors; cancel moves a live batch to cancelling and the worker to cancelled.
 * Workers are started from the creating request, so they inherit its async context (test id).
 */
export class BatchesService {
  private readonly store: BatchesStore;
  private readonly deps: BatchDeps;
  private readonly mintId: IdMinter;
  private readonly now: () => number;
  private readonly perBatch: number;
  private readonly pickupDelayMs: number;
  private readonly slots: Semaphore;
  private readonly running = new Map<string, { abort: AbortController; wake: () => void; done: Promise<void> }>();
  private closed = false;

  constructor(opts: BatchesServiceOptions) {
    this.store = opts.store;
    this.deps = opts.deps;
    this.mintId = opts.mintId ?? ((_kind, fallback) => fallback());
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    this.perBatch = opts.maxConcurrentRequestsPerBatch ?? 10;
    this.pickupDelayMs = opts.pickupDelayMs ?? DEFAULT_PICKUP_DELAY_MS;
    this.slots = new Semaphore(opts.maxConcurrentBatches ?? 1);
  }

  create(params: CreateBatchParams): BatchObject {
    const { input_file_id, endpoint, completion_window } = params;
    const metadata = params.metadata ?? null;
    if (!(BATCH_ENDPOINTS as readonly string[]).includes(endpoint)) {
      throw new InvalidValueError(
        `Invalid endpoint: ${endpoint}. Supported values: ${BATCH_ENDPOINTS.join(", ")}. Code: invalid_value. Param: endpoint`,
      );
    }
    if (completion_window !== "24h") {
      throw new InvalidValueError(
        `Invalid completion_window: ${completion_window}. Supported values are: 24h. Code: invalid_value. Param: completion_window`,
      );
    }

    let id: string;
    if (params.idempotency_key != null) {
      // The key alone names the batch, so a reused key finds it and can compare parameters.
      id = `batch_${createHash("sha256").update(params.idempotency_key, "utf8").digest("hex").slice(0, 24)}`;
      const existing = this.store.get(id);
      if (existing) {
        if (
          existing.input_file_id !== input_file_id ||
          existing.endpoint !== endpoint ||
          existing.completion_window !== completion_window ||
          !sameMetadata(existing.metadata, metadata)
        ) {
          throw new BatchConflictError(
            `Idempotency key '${params.idempotency_key}' was previously used with different parameters. ` +
              "Either use a new idempotency key or ensure all parameters match the original request.",
          );
        }
        return existing;
      }
    } else {
      id = this.mintId("batch", () => `batch_${randomUUID().replaceAll("-", "").slice(0, 16)}`);
    }

    const batch = newBatch({ id, endpoint, input_file_id, completion_window, metadata, created_at: this.now() });
    this.store.put(batch);
    this.start(id);
    return batch;
  }

  retrieve(id: string): BatchObject {
    const batch = this.store.get(id);
    if (!batch) throw new ResourceNotFoundError(id, "Batch", "batches.list()");
    return batch;
  }

  list(after?: string | null, limit = 20): ListBatchesResponse {
    return this.store.list(after, limit);
  }

  cancel(id: string): BatchObject {
    const batch = this.retrieve(id);
    if (batch.status === "cancelled" || batch.status === "cancelling") return batch;
    if (batch.status === "completed" || batch.status === "failed" || batch.status === "expired") {
      throw new BatchConflictError(`Cannot cancel batch '${id}' with status '${batch.status}'`);
    }
    this.update(id, { status: "cancelling", cancelling_at: this.now() });
    this.running.get(id)?.abort.abort(CANCEL_REASON);
    return this.retrieve(id);
  }

  /** Resolves when no batch is being processed (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Stops workers without marking their batches cancelled, as upstream's shutdown leaves them. */
  async close(): Promise<void> {
    this.closed = true;
    for (const { abort } of this.running.values()) abort.abort("shutdown");
    await this.idle();
  }

  /** A client retrieved the batch: its queued worker starts now (see DEFAULT_PICKUP_DELAY_MS). */
  nudge(id: string): void {
    this.running.get(id)?.wake();
  }

  /** Queues the worker as a background task, like upstream's `asyncio.create_task`; see DEFAULT_PICKUP_DELAY_MS. */
  private start(id: string): void {
    const abort = new AbortController();
    const pickup = pickupAfter(this.pickupDelayMs);
    abort.signal.addEventListener("abort", pickup.wake, { once: true });
    const done = pickup.ready
      .then(() => this.process(id, abort.signal))
      .finally(() => this.running.delete(id));
    this.running.set(id, { abort, wake: pickup.wake, done });
  }

  private async process(id: string, signal: AbortSignal): Promise<void> {
    try {
      await this.slots.run(signal, () => this.processNow(id, signal));
    } catch (err) {
      if (this.closed) return;
      if (signal.aborted) {
        this.update(id, { status: "cancelled", cancelled_at: this.now() });
      } else {
        this.update(id, {
          status: "failed",
          failed_at: this.now(),
          errors: errorList([batchError("internal_error", errorMessage(err))]),
        });
      }
    }
  }

  private async processNow(id: string, signal: AbortSignal): Promise<void> {
    const batch = this.retrieve(id);
    const { errors, requests } = await this.readInput(batch);
    signal.throwIfAborted();
    if (errors.length > 0) {
      this.update(id, { status: "failed", failed_at: this.now(), errors: errorList(errors) });
      return;
    }

    const total = requests.length;
    this.update(id, { status: "in_progress", request_counts: { total, completed: 0, failed: 0 } });
    const successes: BatchResultLine[] = [];
    const failures: BatchResultLine[] = [];
    for (let i = 0; i < requests.length; i += this.perBatch) {
      const chunk = requests.slice(i, i + this.perBatch);
      const results = await abortable(Promise.all(chunk.map((r) => this.runOne(id, r, signal))), signal);
      for (const result of results) ("error" in result ? failures : successes).push(result);
      this.update(id, { request_counts: { total, completed: successes.length, failed: failures.length } });
    }

    try {
      const outputFileId = this.writeResults(id, successes, "success");
      this.update(id, { output_file_id: outputFileId });
      const errorFileId = this.writeResults(id, failures, "error");
      this.update(id, { error_file_id: errorFileId });
      this.update(id, { status: "completed", completed_at: this.now() });
    } catch (err) {
      this.update(id, {
        status: "failed",
        failed_at: this.now(),
        errors: errorList([batchError("output_failed", errorMessage(err))]),
      });
    }
  }

  private async readInput(batch: BatchObject): Promise<{ errors: BatchError[]; requests: BatchRequest[] }> {
    let content: Buffer;
    try {
      this.deps.files.retrieve(batch.input_file_id);
      content = this.deps.files.content(batch.input_file_id).content;
    } catch {
      return {
        errors: [
          { code: "invalid_request", line: null, message: `Cannot find file ${batch.input_file_id}.`, param: "input_file_id" },
        ],
        requests: [],
      };
    }
    const text = new TextDecoder("utf-8", { fatal: true }).decode(content);
    return validateBatchInput(text, batch.endpoint, this.deps.modelExists);
  }

  private async runOne(batchId: string, request: BatchRequest, signal: AbortSignal): Promise<BatchResultLine> {
    const requestId = `batch_req_${batchId}_${request.lineNum}`;
    try {
      const body =
        request.url === "/v1/chat/completions"
          ? { ...request.body, messages: checkMessageRoles(request.body.messages as unknown[]) }
          : request.body;
      const response = await this.deps.infer(request.url, body, signal);
      return {
        id: requestId,
        custom_id: request.customId,
        response: { status_code: 200, request_id: requestId, body: JSON.stringify(response) },
      };
    } catch (err) {
      signal.throwIfAborted();
      return { id: requestId, custom_id: request.customId, error: { type: "request_failed", message: errorMessage(err) } };
    }
  }

  private writeResults(batchId: string, lines: BatchResultLine[], kind: "success" | "error"): string {
    const file = this.deps.files.create({
      filename: `${batchId}_${kind}.jsonl`,
      purpose: "batch",
      content: Buffer.from(lines.map(pyJsonDumps).join("\n"), "utf8"),
    });
    return file.id;
  }

  /** Once a batch is cancelling, only the move to cancelled is written (the worker may still report progress). */
  private update(id: string, changes: Partial<BatchObject>): void {
    if (this.closed) return;
    const batch = this.store.get(id);
    if (!batch) return;
    if (batch.status === "cancelling" && changes.status !== "cancelled") return;
    this.store.put({ ...batch, ...changes });
  }
}

/** Upstream rebuilds every message by its role before calling inference; an unknown role fails the line. */
function checkMessageRoles(messages: unknown[]): unknown[] {
  for (const msg of messages) {
    const role = typeof msg === "object" && msg !== null ? (msg as { role?: unknown }).role : undefined;
    if (!["user", "system", "assistant", "tool", "developer"].includes(role as string)) {
      throw new Error(`Unknown message role: ${role === undefined || role === null ? "None" : String(role)}`);
    }
  }
  return messages;
}

function newBatch(fields: Pick<BatchObject, "id" | "endpoint" | "input_file_id" | "completion_window" | "metadata" | "created_at">): BatchObject {
  return {
    id: fields.id,
    completion_window: fields.completion_window,
    created_at: fields.created_at,
    endpoint: fields.endpoint,
    input_file_id: fields.input_file_id,
    object: "batch",
    status: "validating",
    cancelled_at: null,
    cancelling_at: null,
    completed_at: null,
    error_file_id: null,
    errors: null,
    expired_at: null,
    expires_at: null,
    failed_at: null,
    finalizing_at: null,
    in_progress_at: null,
    metadata: fields.metadata,
    model: null,
    output_file_id: null,
    request_counts: null,
    usage: null,
  };
}

function batchError(code: string, message: string): BatchError {
  return { code, line: null, message, param: null };
}

function errorList(data: BatchError[]) {
  return { data, object: null };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Metadata compares as dicts: same keys and values in any order. */
function sameMetadata(a: Record<string, string> | null, b: Record<string, string> | null): boolean {
  if (a === null || b === null) return a === b;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Counting semaphore whose waiters give up when their signal aborts. */
class Semaphore {
  private free: number;
  private readonly waiters: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        this.waiters.splice(this.waiters.indexOf(grant), 1);
        reject(signal.reason);
      };
      this.waiters.push(grant);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }
}
