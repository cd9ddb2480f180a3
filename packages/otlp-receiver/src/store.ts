import { OtlpWaitTimeoutError } from "./errors.js";
import type { Batch, LogRecord, Metric, Span } from "./model.js";

/** What a waitFor predicate sees: everything received so far. */
export interface Received {
  spans: readonly Span[];
  metrics: readonly Metric[];
  logs: readonly LogRecord[];
}

export interface WaitOptions {
  timeoutMs?: number;
  /** Names what is awaited in the timeout message, e.g. "a span named chat". */
  description?: string;
}

interface Waiter {
  /** Runs the predicate; settles the wait and returns true once it holds. */
  check: () => boolean;
  fail: (reason: Error) => void;
}

/** Holds every normalized record and wakes the waiters whose predicate a new batch satisfies. */
export class TelemetryStore implements Received {
  spans: Span[] = [];
  metrics: Metric[] = [];
  logs: LogRecord[] = [];
  private readonly waiters = new Set<Waiter>();

  add(batch: Batch): void {
    this.spans.push(...batch.spans);
    this.metrics.push(...batch.metrics);
    this.logs.push(...batch.logs);
    for (const waiter of [...this.waiters]) waiter.check();
  }

  /** Starts new arrays, so what a caller got from waitFor before the clear stays intact. */
  clear(): void {
    this.spans = [];
    this.metrics = [];
    this.logs = [];
  }

  summary(): string {
    return `${this.spans.length} spans, ${this.metrics.length} metrics, ${this.logs.length} log records`;
  }

  /** Resolves with the predicate's first truthy result, checked now and on each arriving batch. */
  waitFor<T>(predicate: (received: Received) => T | undefined | null | false, options: WaitOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const description = options.description ?? `predicate ${predicate.toString().replace(/\s+/g, " ").slice(0, 120)}`;
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        fail: (reason) => {
          finish();
          reject(reason);
        },
        check: () => {
          let result: T | undefined | null | false;
          try {
            result = predicate(this);
          } catch (err) {
            waiter.fail(err as Error);
            return true;
          }
          if (!result) return false;
          finish();
          resolve(result);
          return true;
        },
      };
      const timer = setTimeout(() => waiter.fail(new OtlpWaitTimeoutError(description, timeoutMs, this.summary())), timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      if (!waiter.check()) this.waiters.add(waiter);
    });
  }

  /** Rejects pending waiters, so a test awaiting a closed receiver fails instead of hanging. */
  rejectWaiters(reason: Error): void {
    for (const waiter of [...this.waiters]) waiter.fail(reason);
  }
}
