/**
 * Port of upstream's batches/conftest.py BatchHelper: uploads JSONL batch input files (deleted
 * afterwards) and polls a batch until it reaches a terminal status.
 */
import type { UpstreamTestContext } from "@llama-stack-tests/stack";
import { toFile } from "openai";
import type { Batch, BatchCreateParams } from "openai/resources/batches";
import type { FileObject } from "openai/resources/files";

import { pyJsonDumps } from "./py-json.js";

export type BatchStatus = Batch["status"];

const TERMINAL: readonly BatchStatus[] = ["completed", "failed", "cancelled", "expired"];

export interface WaitOptions {
  /** Seconds before giving up (upstream default 60). */
  maxWaitTime?: number;
  /** Fixed poll interval in seconds; default is exponential backoff from 0.1 s to 10 s. */
  sleepInterval?: number;
  /** Terminal statuses that end the wait successfully (default completed). */
  expectedStatuses?: readonly BatchStatus[];
  /** On timeout or an unexpected terminal status: fail the test or skip it with the reason. */
  timeoutAction?: "fail" | "skip";
}

/** Waits for a batch upstream expects to fail. */
export const WAIT_FAILED: WaitOptions = { expectedStatuses: ["failed"] };
/** Waits up to 3 minutes for completion, skipping (as upstream does) when inference is too slow. */
export const WAIT_COMPLETED_OR_SKIP: WaitOptions = {
  maxWaitTime: 3 * 60,
  expectedStatuses: ["completed"],
  timeoutAction: "skip",
};

export interface RunOptions {
  /** Batch endpoint (default /v1/chat/completions). */
  endpoint?: BatchCreateParams["endpoint"];
  /** Batch metadata; omitted from the request when absent. */
  metadata?: Record<string, string>;
  /** How long and for which statuses to wait. */
  wait?: WaitOptions;
  /** Upload filename prefix (default batch_input). */
  filenamePrefix?: string;
}

export interface BatchHelper {
  /** Uploads `content` (request objects as JSONL, or raw text) as a batch file, runs `body`, deletes the file. */
  withFile<T>(content: string | readonly object[], body: (file: FileObject) => Promise<T>, filenamePrefix?: string): Promise<T>;
  waitFor(batchId: string, options?: WaitOptions): Promise<Batch>;
  /** Uploads `content`, creates a batch over it with a 24h window, and waits for it (file deleted afterwards). */
  run(content: string | readonly object[], options?: RunOptions): Promise<Batch>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function batchHelper<P>(t: UpstreamTestContext<P>): BatchHelper {
  const client = t.openai;
  const helper: BatchHelper = {
    async withFile(content, body, filenamePrefix = "batch_input") {
      const text = typeof content === "string" ? content : content.map((req) => pyJsonDumps(req)).join("\n");
      const filename = filenamePrefix.endsWith(".jsonl") ? filenamePrefix : `${filenamePrefix}.jsonl`;
      const uploaded = await client.files.create({ file: await toFile(Buffer.from(text, "utf8"), filename), purpose: "batch" });
      try {
        return await body(uploaded);
      } finally {
        await client.files.delete(uploaded.id).catch(() => {
          console.warn(`Failed to cleanup file ${uploaded.id}: ${uploaded.filename}`);
        });
      }
    },

    async waitFor(batchId, options = {}) {
      const { maxWaitTime = 60, sleepInterval, expectedStatuses = ["completed"], timeoutAction = "fail" } = options;
      const unexpected = TERMINAL.filter((s) => !expectedStatuses.includes(s));
      const giveUp = (message: string): never => {
        if (timeoutAction === "skip") t.skip(message);
        throw new Error(message);
      };
      let interval = sleepInterval ?? 0.1;
      const maxInterval = sleepInterval ?? 10;
      const start = Date.now();
      while ((Date.now() - start) / 1000 < maxWaitTime) {
        const current = await client.batches.retrieve(batchId);
        if (expectedStatuses.includes(current.status)) return current;
        if (unexpected.includes(current.status)) giveUp(`Batch reached unexpected status: ${current.status}`);
        await sleep(interval * 1000);
        interval = Math.min(interval * 2, maxInterval);
      }
      return giveUp(
        `Batch did not reach expected status {${expectedStatuses.map((s) => `'${s}'`).join(", ")}} within ${maxWaitTime} seconds`,
      );
    },

    run(content, { endpoint = "/v1/chat/completions", metadata, wait, filenamePrefix } = {}) {
      return helper.withFile(
        content,
        async (uploaded) => {
          // Key order and absent metadata keep the request body identical to upstream's.
          const params: BatchCreateParams = { input_file_id: uploaded.id, endpoint, completion_window: "24h" };
          if (metadata !== undefined) params.metadata = metadata;
          const batch = await client.batches.create(params);
          return helper.waitFor(batch.id, wait);
        },
        filenamePrefix,
      );
    },
  };
  return helper;
}
