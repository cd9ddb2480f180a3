/** A problem with the run's options (env or CLI); the message names the problem and the fix. */
export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OptionsError";
  }
}

/** The stack could not be started or reached; the message says why and what to do. */
export class StackStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackStartError";
  }
}
