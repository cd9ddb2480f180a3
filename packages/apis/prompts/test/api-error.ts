import { APIError } from "llama-stack-client";
import { expect } from "vitest";

import { StackHttpError } from "./prompt-writes.js";

/** Awaits a call that must fail, and checks its HTTP status and that the body names the problem. */
export async function expectApiError(call: Promise<unknown>, status: number, bodyIncludes: string): Promise<void> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected HTTP ${status} mentioning "${bodyIncludes}", got success: ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  if (error instanceof StackHttpError) {
    expect(error.status).toBe(status);
    expect(JSON.stringify(error.body)).toContain(bodyIncludes);
    return;
  }
  expect(error).toBeInstanceOf(APIError);
  const apiError = error as APIError;
  expect(apiError.status).toBe(status);
  expect(JSON.stringify(apiError.error)).toContain(bodyIncludes);
}
