/**
 * Counts route handlers still running, so shutdown can let them finish (they may write to SQLite
 * after their client went away) before the database closes.
 */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  async run<T>(fn: () => Promise<T>): Promise<T> {
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

/** One per process: route() has no handle on the app that owns it, and waiting a little longer is harmless. */
export const inFlight = new InFlight();
