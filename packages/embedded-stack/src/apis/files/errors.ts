/** Errors of the files and vector-io APIs (to be folded into the core's error classes). */

export class ResourceNotFoundError extends Error {
  readonly statusCode = 404;
  constructor(name: string, type: string, listCall: string) {
    super(`${type} '${name}' not found. Use '${listCall}' to list available ${type}s.`);
    this.name = "ResourceNotFoundError";
  }
}

/** Upstream turns a ValueError into 400 with detail "Invalid value: <message>". */
export class InvalidValueError extends Error {
  readonly statusCode = 400;
  constructor(message: string) {
    super(`Invalid value: ${message}`);
    this.name = "InvalidValueError";
  }
}

/** Upstream maps NotImplementedError to 501 "Not implemented: <message>". */
export class NotImplementedError extends Error {
  readonly statusCode = 501;
  constructor(message: string) {
    super(`Not implemented: ${message}`);
    this.name = "NotImplementedError";
  }
}
