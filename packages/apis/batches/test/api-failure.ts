/**
 * Upstream asserts on `str(exc)` of openai-python errors, "Error code: <status> - <body>", which
 * carries the whole response body (Llama Stack answers `{"detail": ...}`). openai-node keeps only
 * `body.error`, so the failing response's body is captured on the way through the SDK.
 */
import { statusOf } from "@llama-stack-tests/test-fixtures";
import type OpenAI from "openai";

export interface ApiFailure {
  /** The error the SDK threw. */
  error: unknown;
  /** HTTP status; openai-python's BadRequestError, NotFoundError and ConflictError are 400, 404, 409. */
  status: number | undefined;
  /** Equivalent of Python's `str(exc)`. */
  text: string;
}

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Runs `call` with a copy of `client` (no retries, like upstream's openai_client) and returns how it failed. */
export async function captureFailure(client: OpenAI, call: (client: OpenAI) => Promise<unknown>): Promise<ApiFailure> {
  // The client's own fetch may carry harness behaviour; keep it and only read the error body.
  const inner = (client as unknown as { fetch: Fetch }).fetch;
  let body = "";
  const capturing = client.withOptions({
    maxRetries: 0,
    fetch: async (input, init) => {
      const res = await inner(input, init);
      if (!res.ok) body = await res.clone().text();
      return res;
    },
  });
  try {
    await call(capturing);
  } catch (error) {
    const status = statusOf(error);
    return { error, status, text: status === undefined ? String(error) : `Error code: ${status} - ${body}` };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
