/**
 * When a long-running command of the harness (a suite run, the embedded stack, the recording proxy)
 * must stop: on SIGINT, SIGTERM or SIGHUP, and when it is orphaned. pnpm does not pass SIGTERM on to
 * the script it runs, so `pnpm <script>` getting SIGTERM leaves its node process with a new parent;
 * that change is the only sign the run was stopped.
 */
export type StopReason = NodeJS.Signals;

const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const PARENT_POLL_MS = 500;
/** The parent at start: a watch set up after the parent died still sees that it did. */
const STARTING_PARENT = process.ppid;

/** Calls `stop` once, with the signal (SIGTERM when orphaned). Returns a function removing the watch. */
export function onStopRequest(stop: (reason: StopReason) => void): () => void {
  let done = false;
  const fire = (reason: StopReason) => {
    if (done) return;
    done = true;
    stop(reason);
  };
  const handlers = SIGNALS.map((signal) => [signal, () => fire(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  const poll = setInterval(() => {
    if (process.ppid !== STARTING_PARENT) fire("SIGTERM");
  }, PARENT_POLL_MS);
  poll.unref();
  return () => {
    clearInterval(poll);
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
