/** An error answered with OpenAI's error envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly type: string = status >= 500 ? "server_error" : "invalid_request_error",
  ) {
    super(message);
    this.name = "ApiError";
  }

  toEnvelope(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function badRequest(param: string, message: string): ApiError {
  return new ApiError(400, message, param, "invalid_value");
}

export function modelNotFound(model: string, available: readonly string[]): ApiError {
  return new ApiError(
    404,
    `The model '${model}' does not exist on this server. Available models: ${available.join(", ")}.`,
    "model",
    "model_not_found",
  );
}
