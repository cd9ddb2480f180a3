/** A stack the tests can reach, and how to let go of it. */
export interface RunningStack {
  /** Base URL without /v1. */
  baseUrl: string;
  /** One line for the run's log: what was started or reused. */
  description: string;
  close(): Promise<void>;
  /** For stacks this harness runs: calls `listener` once if the stack's process dies before close(). */
  onDeath?(listener: (message: string) => void): void;
}
