/**
 * Where a route handler picks up its request's telemetry context: the server-span hook registers a
 * runner per request, the route wrapper runs the handler through it. A request without one (telemetry
 * off) runs its handler as is.
 */
import type { FastifyRequest } from "fastify";

type Runner = <T>(fn: () => T) => T;

const runners = new WeakMap<FastifyRequest, Runner>();

export function setRequestRunner(req: FastifyRequest, runner: Runner): void {
  runners.set(req, runner);
}

export function runInRequestScope<T>(req: FastifyRequest, fn: () => T): T {
  const runner = runners.get(req);
  return runner ? runner(fn) : fn();
}
