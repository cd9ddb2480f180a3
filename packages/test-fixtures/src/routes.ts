import type { UpstreamTestContext } from "@llama-stack-tests/stack";

/**
 * Skips the case only when the stack does not configure a route's API at all (it lists no route of it in
 * /v1/inspect/routes, as a stack without post-training does). A route the listing leaves out of an API
 * the stack configures is called anyway: the stack's answer decides, and an error fails the case.
 */
export async function requireRoutes<P>(t: UpstreamTestContext<P>, routes: readonly (readonly [string, string])[]): Promise<void> {
  for (const [method, route] of routes) {
    if (await t.hasRoute(method, route)) continue;
    const removed = t.removedIn(method, route);
    if (removed) t.skip(removed);
    if (!(await t.servesApiOf(route))) t.skip(`stack does not configure the API of ${method} ${route} (no route of it in /v1/inspect/routes)`);
  }
}

/** The Responses API routes, as /v1/inspect/routes names them (agents and responses ports gate on them). */
export const RESPONSES_ROUTES = {
  create: ["POST", "/v1/responses"],
  retrieve: ["GET", "/v1/responses/{response_id}"],
  delete: ["DELETE", "/v1/responses/{response_id}"],
  inputItems: ["GET", "/v1/responses/{response_id}/input_items"],
} as const satisfies Record<string, readonly [string, string]>;
