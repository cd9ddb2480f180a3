/** A request the receiver refuses; `status` is the HTTP status it answers with. */
export class OtlpRequestError extends Error {
  constructor(
    readonly status: 400 | 404 | 405 | 413 | 415 | 500,
    message: string,
  ) {
    super(message);
    this.name = "OtlpRequestError";
  }
}

/** A decoded body whose shape is not an OTLP export request; `path` locates the bad field. */
export class OtlpShapeError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = "OtlpShapeError";
  }
}

/** waitFor gave up; the message names what was awaited and what had arrived. */
export class OtlpWaitTimeoutError extends Error {
  constructor(description: string, timeoutMs: number, received: string) {
    super(`timed out after ${timeoutMs} ms waiting for ${description}; received so far: ${received}`);
    this.name = "OtlpWaitTimeoutError";
  }
}
