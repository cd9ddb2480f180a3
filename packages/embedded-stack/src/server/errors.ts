/**
 * Typed HTTP errors and the mapping from any thrown value to upstream's status and `detail`
 * (llama_stack/core/server/server.py translate_exception).
 */

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly detail: unknown,
  ) {
    super(typeof detail === "string" ? detail : JSON.stringify(detail));
    this.name = "HttpError";
  }
}

/** 400 with a plain message, like upstream's BadRequestError. */
export class BadRequestError extends HttpError {
  constructor(message: string) {
    super(400, message);
    this.name = "BadRequestError";
  }
}

/** 400 "Invalid value: ...", like upstream's ValueError. */
export class InvalidValueError extends HttpError {
  constructor(message: string) {
    super(400, `Invalid value: ${message}`);
    this.name = "InvalidValueError";
  }
}

/**
 * 503 for a request whose handler failed after its stack began closing: whatever it was waiting for
 * (a provider, an MCP server, a URL) was ended by the close, so the failure says that, not the cause.
 */
export class StackClosingError extends HttpError {
  constructor() {
    super(503, "The stack is shutting down: this request's outbound calls were ended");
    this.name = "StackClosingError";
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, message);
    this.name = "NotFoundError";
  }
}

/** Upstream's ResourceNotFoundError wording: "<Type> '<name>' not found. Use '<list call>' to list available <Type>s." */
export function resourceNotFound(name: string, type: string, listCall: string): NotFoundError {
  return new NotFoundError(`${type} '${name}' not found. Use '${listCall}' to list available ${type}s.`);
}

export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, message);
    this.name = "ConflictError";
  }
}

export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** 400 with `detail.errors`, upstream's translation of a pydantic RequestValidationError. */
export class RequestValidationError extends HttpError {
  constructor(readonly errors: ValidationIssue[]) {
    super(400, { errors });
    this.name = "RequestValidationError";
  }
}

/**
 * FastAPI's own 400 for a request body it could not read (too deeply nested, not UTF-8, a broken
 * multipart form). FastAPI answers it before any API code runs, so it is never wrapped.
 */
export class BodyParseError extends HttpError {
  constructor(detail = "There was an error parsing the body") {
    super(400, detail);
    this.name = "BodyParseError";
  }
}

/** An upstream provider answered with an error status; it is passed through to the client. */
export class ProviderHttpError extends HttpError {
  constructor(status: number, message: string) {
    super(status, message);
    this.name = "ProviderHttpError";
  }
}

export interface HttpErrorShape {
  statusCode: number;
  detail: unknown;
}

const INTERNAL: HttpErrorShape = {
  statusCode: 500,
  detail: "Internal server error: An unexpected error occurred.",
};

/**
 * Any error -> status + detail. Errors carrying a numeric `statusCode` (the API modules' own error
 * classes, Fastify's errors) keep it, as upstream keeps provider SDK status codes.
 */
export function toHttpError(err: unknown): HttpErrorShape {
  if (err instanceof HttpError) return { statusCode: err.statusCode, detail: err.detail };
  if (err instanceof Error) {
    const status = (err as { statusCode?: unknown }).statusCode;
    if (typeof status === "number" && status >= 400 && status < 600) {
      return { statusCode: status, detail: err.message };
    }
    const code = (err as { code?: unknown }).code;
    if (code === "ECONNREFUSED" || code === "ECONNRESET" || code === "UND_ERR_SOCKET") {
      return { statusCode: 502, detail: err.message };
    }
  }
  return INTERNAL;
}

/** Starlette's str(HTTPException): "<status>: <detail>", used in SSE error frames. */
export function httpErrorString(shape: HttpErrorShape): string {
  const detail = typeof shape.detail === "string" ? shape.detail : JSON.stringify(shape.detail);
  return `${shape.statusCode}: ${detail}`;
}
