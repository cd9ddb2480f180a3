import type { FastifyInstance } from "fastify";
import { StackClosingError } from "./errors.js";

/**
 * Counts route handlers still running, so shutdown can let them finish (they may write to SQLite
 * after their client went away) before the database closes; and ends their outbound calls first.
 */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];
  private readonly closing = new AbortController();

  /** Passed to the handlers (request context): aborted by endOutboundCalls. */
  get closingSignal(): AbortSignal {
    return this.closing.signal;
  }

  /** Ends the handlers' calls to MCP servers, web search and URLs: a closing stack waits for none of them. */
  endOutboundCalls(): void {
    this.closing.abort(new StackClosingError());
  }

  /** `fn` may answer synchronously or throw: both count as its end, like a settled promise. */
  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    this.count++;
    try {
      return await fn();
    } finally {
      this.count--;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** Resolves when no handler runs, or after `timeoutMs`. */
  idle(timeoutMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

const IN_FLIGHT = Symbol("stack in-flight handlers");

/**
 * Gives an app its own counter, which its plugins' child instances inherit: several stacks in one
 * process (a pool) must not wait for each other's handlers when one of them closes.
 */
export function trackInFlight(app: FastifyInstance): InFlight {
  const counter = new InFlight();
  app.decorate(IN_FLIGHT, counter);
  return counter;
}

/** Apps built without trackInFlight (route tests) share this one. */
const processWide = new InFlight();

export function inFlightOf(app: FastifyInstance): InFlight {
  return (app as unknown as Record<symbol, InFlight | undefined>)[IN_FLIGHT] ?? processWide;
}
