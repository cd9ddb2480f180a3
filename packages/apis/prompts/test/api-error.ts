import { APIError } from "llama-stack-client";
import { expect } from "vitest";

/** Awaits a call that must fail, and checks its HTTP status and that the body names the problem. */
export async function expectApiError(call: Promise<unknown>, status: number, bodyIncludes: string): Promise<void> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected HTTP ${status} mentioning "${bodyIncludes}", got success: ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(APIError);
  const apiError = error as APIError;
  expect(apiError.status).toBe(status);
  expect(JSON.stringify(apiError.error)).toContain(bodyIncludes);
}
