import LlamaStackClient from "llama-stack-client";
import OpenAI, { APIError } from "openai";
import { recordGate, recordSkippedAssertion } from "@llama-stack-tests/report";
import { gateSite } from "./gate-site.js";
import type { TestContext } from "vitest";
import type { LlamaStackProvided } from "./provided.js";
import { testIdHeaders } from "./provider-data.js";
import { stackHasRoute, stackServesApiOf } from "./routes.js";
import { parseServerTarget, removedRouteReason } from "./server-targets.js";
import { parseStackConfig } from "./stack-config.js";
import type { PlannedCase } from "./test-ids.js";
import type { Capability, UpstreamTestContext } from "./test-api.js";

/**
 * The OpenAI client the tests use. Python's SDK puts the whole error body in the exception's message;
 * Node's reads only `body.error`, so Llama Stack's `{"detail": ...}` errors would read "400 status code
 * (no body)" and the ported message assertions could never match. Such a body becomes the message.
 */
export class UpstreamOpenAI extends OpenAI {
  protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers): APIError {
    const body = error !== null && typeof error === "object" && !("error" in error) ? JSON.stringify(error) : message;
    return super.makeStatusError(status, error, body, headers);
  }
}

/** Builds the context of one case: clients and raw HTTP carrying its test id. */
export function createTestContext<P>(
  planned: PlannedCase<P>,
  provided: LlamaStackProvided,
  ctx: TestContext,
): UpstreamTestContext<P> {
  const { baseUrl, options } = provided;
  const target = parseServerTarget(options.target);
  const headers = testIdHeaders(planned.testId, process.env, target.providerDataHeader);
  const timeout = options.clientTimeoutMs ? { timeout: options.clientTimeoutMs } : {};
  const client = new LlamaStackClient({ baseURL: baseUrl, defaultHeaders: headers, maxRetries: 0, ...timeout });
  const openai = new UpstreamOpenAI({ baseURL: `${baseUrl}/v1`, apiKey: "fake", defaultHeaders: headers, maxRetries: 0, ...timeout });
  const context: UpstreamTestContext<P> = {
    testId: planned.testId,
    baseUrl,
    client,
    openai,
    compat: planned.variant === "openai_client" ? openai : client,
    models: planned.models,
    param: planned.param,
    setupName: options.setupName,
    stackKind: parseStackConfig(options.stackConfig).kind,
    inferenceMode: options.inferenceMode,
    can(capability: Capability, what: string): boolean {
      const executed = (options.capabilities as string[]).includes(capability);
      // Counted per gate, so the report can tell which gated assertions no run executes.
      const site = gateSite(new Error().stack, options.rootDir);
      if (site) recordGate(ctx.task, { ...site, capability, executed });
      if (!executed) recordSkippedAssertion(ctx.task, capability, what);
      return executed;
    },
    skip(reason: string): never {
      return ctx.skip(reason);
    },
    fetch(path: string, init: RequestInit = {}): Promise<Response> {
      const merged = new Headers(init.headers);
      for (const [k, v] of Object.entries(headers)) if (!merged.has(k)) merged.set(k, v);
      return fetch(`${baseUrl}${path}`, { ...init, headers: merged });
    },
    headers,
    hasRoute: (method, route) => stackHasRoute(baseUrl, method, route, headers),
    removedIn: (method, route) => removedRouteReason(target, method, route),
    servesApiOf: (route) => stackServesApiOf(baseUrl, route, headers),
  };
  if (planned.variant) context.variant = planned.variant;
  return context;
}
