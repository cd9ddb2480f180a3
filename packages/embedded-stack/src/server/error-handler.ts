/**
 * Upstream's error bodies (the envelope depends on the API, see error-envelope.ts), and FastAPI's
 * answers for unmatched requests: 405 when the path exists under another method, else 404.
 */
import type { FastifyInstance } from "fastify";
import { errorBody } from "./error-envelope.js";
import { toHttpError } from "./errors.js";

/** `{x}` is one segment, `{x:path}` the rest of the path. */
function pathPattern(upstreamPath: string): RegExp {
  const body = upstreamPath
    .split("/")
    .map((seg) => (/^\{\w+:path\}$/.test(seg) ? ".+" : /^\{\w+\}$/.test(seg) ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${body}$`);
}

export function installErrorHandling(
  app: FastifyInstance,
  log: (message: string) => void,
  servedPaths: () => string[] = () => [],
): void {
  app.setErrorHandler((err, req, reply) => {
    const shape = toHttpError(err);
    if (shape.statusCode >= 500) log(`${req.method} ${req.url} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    void reply.code(shape.statusCode).send(errorBody(err, shape.detail, req.routeOptions.url));
  });
  let patterns: RegExp[] | null = null;
  app.setNotFoundHandler((req, reply) => {
    patterns ??= [...new Set(servedPaths())].map(pathPattern);
    const path = req.url.split("?")[0] ?? "";
    if (patterns.some((p) => p.test(path))) return reply.code(405).send({ detail: "Method Not Allowed" });
    return reply.code(404).send({ detail: "Not Found" });
  });
}
