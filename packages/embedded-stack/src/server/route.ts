/**
 * Route registration with upstream's path syntax. `{name}` is one segment; `{name:path}` (last segment
 * only) may contain `/` and becomes a Fastify wildcard. Handlers run inside the request context (and
 * the request's telemetry scope), their
 * result is sent as JSON, `undefined` from a DELETE becomes 204, and a handler that streamed (sendSse)
 * has already answered.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from "fastify";
import { contextFromHeaders, runWithRequestContext } from "../context/request-context.js";
import { runInRequestScope } from "../telemetry/request-scope.js";
import { StackClosingError, toHttpError } from "./errors.js";
import { inFlightOf } from "./in-flight.js";

export type HttpMethod = "GET" | "POST" | "DELETE";

export type RouteHandler = (
  req: FastifyRequest,
  reply: FastifyReply,
  params: Record<string, string>,
) => unknown;

/** Stored in each route's Fastify config so /v1/inspect/routes can list routes in upstream's syntax. */
export interface StackRouteConfig {
  upstreamPath: string;
  /** Deprecated routes are left out of /v1/inspect/routes unless asked for, as upstream does. */
  deprecated: boolean;
  /** API the route belongs to; set by the assembler from the path. */
  api?: string;
}

interface ParsedPath {
  fastifyPath: string;
  wildcardName: string | null;
}

export function toFastifyPath(upstreamPath: string): ParsedPath {
  const segments = upstreamPath.split("/");
  let wildcardName: string | null = null;
  const out = segments.map((segment, index) => {
    const match = /^\{(\w+)(:path)?\}$/.exec(segment);
    if (!match) {
      if (segment.includes("{")) throw new Error(`Route ${upstreamPath}: a parameter must be a whole segment`);
      return segment;
    }
    const name = match[1] as string;
    if (match[2]) {
      if (index !== segments.length - 1) {
        throw new Error(`Route ${upstreamPath}: a {${name}:path} parameter must be the last segment`);
      }
      wildcardName = name;
      return "*";
    }
    return `:${name}`;
  });
  return { fastifyPath: out.join("/"), wildcardName };
}

export interface RouteOptions {
  deprecated?: boolean;
}

export function route(
  app: FastifyInstance,
  method: HttpMethod,
  upstreamPath: string,
  handler: RouteHandler,
  options: RouteOptions = {},
): void {
  const { fastifyPath, wildcardName } = toFastifyPath(upstreamPath);
  const config: StackRouteConfig = { upstreamPath, deprecated: options.deprecated ?? false };
  const inFlight = inFlightOf(app);
  app.route({
    method: method as HTTPMethods,
    url: fastifyPath,
    config,
    handler: async (req, reply) => {
      const params = { ...(req.params as Record<string, string>) };
      if (wildcardName) {
        params[wildcardName] = params["*"] ?? "";
        delete params["*"];
      }
      const result = await runInRequestScope(req, () =>
        inFlight.run(() => runWithRequestContext(contextFromHeaders(req.headers, inFlight.closingSignal), () => handler(req, reply, params))),
      ).catch((err: unknown) => {
        // A 503 already says the close ended it (a provider's call names the provider); anything else
        // failed because what it waited for was cut off.
        throw inFlight.closingSignal.aborted && toHttpError(err).statusCode !== 503 ? new StackClosingError() : err;
      });
      if (reply.sent) return reply;
      if (result === undefined) {
        if (method === "DELETE") return reply.code(204).send();
        return reply.send(null);
      }
      return reply.send(result);
    },
  });
}
