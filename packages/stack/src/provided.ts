import type { RunOptions } from "./options.js";
import type {} from "vitest";

/** What the globalSetup hands to test workers via `provide("llamaStack", ...)`. */
export interface LlamaStackProvided {
  /** Stack base URL, without /v1. */
  baseUrl: string;
  options: RunOptions;
  /** The proxy's traffic log, when a replay miss must fail its test (see usesOwnRecordings). */
  trafficLog?: string;
}

export const PROVIDE_KEY = "llamaStack";

declare module "vitest" {
  interface ProvidedContext {
    llamaStack: LlamaStackProvided;
  }
}
