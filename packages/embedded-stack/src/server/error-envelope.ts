/**
 * Which error body an API answers with, as the 0.4.0 server does. Its FastAPI routers
 * (core/server/fastapi_router_registry.py) raise through the server's global exception handler, which
 * wraps the detail as `{"error": {"detail": ...}}`; the legacy webmethod routes let FastAPI answer the
 * HTTPException itself, a plain `{"detail": ...}`. Request validation errors go through the global
 * handler on every route, so they are always wrapped; a body FastAPI could not read never is.
 */
import { BodyParseError, RequestValidationError } from "./errors.js";

export type ErrorBody = { error: { detail: unknown } } | { detail: unknown };

/**
 * The router APIs' route prefixes (Fastify syntax); the first match wins. Eval's job routes sit under a
 * benchmark's path but are legacy, so they come first, marked as not a router API.
 */
const ROUTE_PREFIXES: readonly (readonly [prefix: string, routerApi: boolean])[] = [
  ["/v1alpha/eval/benchmarks/:benchmark_id/", false],
  ["/v1alpha/eval/benchmarks", true],
  ["/v1/files", true],
  ["/v1/batches", true],
  ["/v1beta/datasets", true],
  ["/v1/providers", true],
  ["/v1/inspect/", true],
  ["/v1/health", true],
  ["/v1/version", true],
];

function isRouterRoute(routeUrl: string): boolean {
  const hit = ROUTE_PREFIXES.find(
    ([prefix]) => routeUrl === prefix || routeUrl.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`),
  );
  return hit?.[1] ?? false;
}

/** The body for an error with `detail` raised while serving the route `routeUrl` (the matched route, not the raw path). */
export function errorBody(err: unknown, detail: unknown, routeUrl: string | undefined): ErrorBody {
  if (err instanceof BodyParseError) return { detail };
  const wrapped = err instanceof RequestValidationError || (routeUrl !== undefined && isRouterRoute(routeUrl));
  return wrapped ? { error: { detail } } : { detail };
}
