import type { RunOptions } from "./options.js";
import type {} from "vitest";

/** What the globalSetup hands to test workers via `provide("llamaStack", ...)`. */
export interface LlamaStackProvided {
  /** Stack base URL, without /v1. */
  baseUrl: string;
  options: RunOptions;
}

export const PROVIDE_KEY = "llamaStack";

declare module "vitest" {
  interface ProvidedContext {
    llamaStack: LlamaStackProvided;
  }
}
