import type { UpstreamTestContext } from "@llama-stack-tests/stack";

/**
 * Skips the case unless the stack lists every route. Deprecated routes (dataset and benchmark
 * registration) are absent from /v1/inspect/routes even where served, so callers name live ones.
 */
export async function requireRoutes<P>(t: UpstreamTestContext<P>, routes: readonly (readonly [string, string])[]): Promise<void> {
  for (const [method, route] of routes) {
    if (!(await t.hasRoute(method, route))) t.skip(t.removedIn(method, route) ?? `stack does not serve ${method} ${route} (not in /v1/inspect/routes)`);
  }
}

/** The Responses API routes, as /v1/inspect/routes names them (agents and responses ports gate on them). */
export const RESPONSES_ROUTES = {
  create: ["POST", "/v1/responses"],
  retrieve: ["GET", "/v1/responses/{response_id}"],
  delete: ["DELETE", "/v1/responses/{response_id}"],
  inputItems: ["GET", "/v1/responses/{response_id}/input_items"],
} as const satisfies Record<string, readonly [string, string]>;
