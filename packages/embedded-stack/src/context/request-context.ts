/**
 * Per-request context kept in AsyncLocalStorage: provider data from X-LlamaStack-Provider-Data and
 * the `__test_id` it may carry, readable from any provider call made while serving the request.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestContext {
  providerData: Record<string, unknown>;
  testId: string | null;
  /**
   * Aborted when the stack serving the request starts closing: its calls to MCP servers, web search
   * and dataset or image URLs end then, instead of holding the close until they answer.
   */
  stackClosing?: AbortSignal;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const PROVIDER_DATA_HEADER = "x-llamastack-provider-data";

/** Parses the header like upstream: a JSON object, anything else (bad JSON, arrays) is ignored. */
export function parseProviderData(header: string | string[] | undefined): Record<string, unknown> {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function contextFromHeaders(headers: Record<string, string | string[] | undefined>, stackClosing?: AbortSignal): RequestContext {
  const providerData = parseProviderData(headers[PROVIDER_DATA_HEADER]);
  const testId = typeof providerData.__test_id === "string" ? providerData.__test_id : null;
  return { providerData, testId, stackClosing };
}

export function runWithRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function currentTestId(): string | null {
  return storage.getStore()?.testId ?? null;
}

/** The signal every outbound call outside the inference providers passes (their agents are destroyed instead). */
export function stackClosingSignal(): AbortSignal | undefined {
  return storage.getStore()?.stackClosing;
}

/** fetch that ends with the stack: for clients that take a fetch (the MCP SDK's transports). */
export const stackBoundFetch: typeof fetch = (input, init) => {
  const closing = stackClosingSignal();
  if (!closing) return fetch(input, init);
  return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, closing]) : closing });
};
