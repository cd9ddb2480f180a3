/**
 * Post-training over raw HTTP: llama-stack-client 0.7.3 has no post-training resource, so these
 * follow /v1alpha/post-training/* in upstream's OpenAPI spec.
 */
import { setTimeout as sleep } from "node:timers/promises";

import type { UpstreamTestContext } from "@llama-stack-tests/stack";

export type JobStatus = "completed" | "in_progress" | "failed" | "scheduled" | "cancelled";

export interface JobStatusResponse {
  job_uuid: string;
  status: JobStatus;
  checkpoints?: unknown[];
}

export interface JobArtifactsResponse {
  job_uuid: string;
  checkpoints: unknown[];
}

type Ctx = Pick<UpstreamTestContext<unknown>, "fetch">;

async function call<T>(t: Ctx, method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const init: RequestInit = body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } };
  const response = await t.fetch(path, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text === "" ? null : JSON.parse(text)) as T;
}

export function supervisedFineTune(t: Ctx, body: Record<string, unknown>): Promise<unknown> {
  return call(t, "POST", "/v1alpha/post-training/supervised-fine-tune", body);
}

export function preferenceOptimize(t: Ctx, body: Record<string, unknown>): Promise<unknown> {
  return call(t, "POST", "/v1alpha/post-training/preference-optimize", body);
}

export function jobStatus(t: Ctx, jobUuid: string): Promise<JobStatusResponse | null> {
  return call(t, "GET", `/v1alpha/post-training/job/status?job_uuid=${encodeURIComponent(jobUuid)}`);
}

export function jobArtifacts(t: Ctx, jobUuid: string): Promise<JobArtifactsResponse | null> {
  return call(t, "GET", `/v1alpha/post-training/job/artifacts?job_uuid=${encodeURIComponent(jobUuid)}`);
}

const POLL_INTERVAL_MS = 5_000;

/**
 * Polls until the job completes (as upstream does, every few seconds); every status seen must be
 * one of `allowed`. Returns the statuses seen, in order. The test's timeout bounds the wait.
 */
export async function waitForCompletion(t: Ctx, jobUuid: string, allowed: readonly JobStatus[]): Promise<JobStatus[]> {
  const seen: JobStatus[] = [];
  for (;;) {
    const status = await jobStatus(t, jobUuid);
    if (status === null) throw new Error(`post-training job ${jobUuid} not found by GET /v1alpha/post-training/job/status`);
    seen.push(status.status);
    if (!allowed.includes(status.status)) {
      throw new Error(`post-training job ${jobUuid} reached status "${status.status}"; expected one of ${allowed.join(", ")}`);
    }
    if (status.status === "completed") return seen;
    await sleep(POLL_INTERVAL_MS);
  }
}
