/** What API modules import: the context contract, errors, validation, SSE and route helpers. */
export type { StackContext, RouteModule, InferenceRouter, ModelRegistry, RegisteredModel, JsonObject, RunConfig } from "./types.js";
export {
  HttpError,
  BadRequestError,
  BodyParseError,
  InvalidValueError,
  NotFoundError,
  ConflictError,
  RequestValidationError,
  ProviderHttpError,
  resourceNotFound,
  toHttpError,
  type ValidationIssue,
} from "./errors.js";
export { parseBody, parseQuery } from "./validation.js";
export { pyInt, pyFloat, pyBool } from "./py-types.js";
export { sendSse, sseFrame } from "./sse.js";
export { route, type HttpMethod, type RouteHandler } from "./route.js";
