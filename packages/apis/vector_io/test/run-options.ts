import type { RunOptions } from "@llama-stack-tests/stack";
import { inject } from "vitest";

/** The run's options as the harness's globalSetup provides them to workers (available at collection time). */
export function runOptions(): RunOptions {
  const provided = inject("llamaStack");
  if (!provided) throw new Error("no stack options provided to this worker: vitest.config.ts must use defineApiConfig");
  return provided.options;
}
