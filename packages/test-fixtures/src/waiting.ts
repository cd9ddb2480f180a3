/**
 * Waiting for a state instead of for a fixed time. Upstream's tests sleep 1-2 s where a slow server
 * may need it; the embedded stack is done at once, so a fixed sleep only costs time (vector_io spent
 * most of its run asleep). These poll often and give up at a deadline, so neither a fast nor a slow
 * stack changes the outcome.
 */
const POLL_MS = 50;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls `read` until `done` holds for its value (returned), or until `deadlineMs` passes (the last value is returned). */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, deadlineMs = 60_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() >= deadline) return value;
    await sleep(POLL_MS);
  }
}

/**
 * Resolves once the wall clock is past the whole second after `seconds` (a Unix timestamp in
 * seconds, as the API's created_at and last_active_at), so that a timestamp taken from now on is larger.
 */
export async function untilSecondAfter(seconds: number): Promise<void> {
  const target = (Math.floor(seconds) + 1) * 1000;
  while (Date.now() < target) await sleep(Math.min(POLL_MS, target - Date.now()));
}
