/**
 * GenAI span and metric attributes of provider calls, as OpenTelemetry's openai-v2 instrumentation
 * (2.3b0, the one the real server runs under) derives them from the OpenAI client's keyword arguments
 * (= the provider body) and from the provider's response. Its quirks are kept on purpose, so both stacks
 * report alike: zero token counts are not set on spans, streamed calls get no finish reasons, and
 * their metrics are recorded when the stream opens (duration only, no tokens).
 */
import { PyFloat } from "../providers/py-float.js";
import type { JsonObject } from "../server/types.js";
import type { AttributeValue, SpanAttributes } from "./types.js";

export type GenAiOperation = "chat" | "embeddings";

export const GEN_AI_SYSTEM = "openai";

function plain(value: unknown): unknown {
  return value instanceof PyFloat ? value.value : value;
}

/** Python truthiness of a JSON value, which decides what the instrumentation sets. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === "object") return Object.keys(value).length > 0;
  return Boolean(value);
}

function setIfPresent(out: SpanAttributes, key: string, value: unknown): void {
  const v = plain(value);
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[key] = v;
}

/** server.address / server.port of the provider's base URL; no port when it is implicit or 443. */
export function providerServerAttributes(baseUrl: string): SpanAttributes {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return {};
  }
  const out: SpanAttributes = { "server.address": url.hostname.replace(/^\[(.*)\]$/, "$1") };
  const port = url.port ? Number(url.port) : 0;
  if (port > 0 && port !== 443) out["server.port"] = port;
  return out;
}

export function requestAttributes(operation: GenAiOperation, body: JsonObject, baseUrl: string): SpanAttributes {
  const out: SpanAttributes = { "gen_ai.operation.name": operation, "gen_ai.system": GEN_AI_SYSTEM };
  setIfPresent(out, "gen_ai.request.model", body.model);
  if (operation === "chat") {
    setIfPresent(out, "gen_ai.request.temperature", body.temperature);
    setIfPresent(out, "gen_ai.request.top_p", body.p ?? body.top_p);
    setIfPresent(out, "gen_ai.request.max_tokens", body.max_tokens);
    setIfPresent(out, "gen_ai.request.presence_penalty", body.presence_penalty);
    setIfPresent(out, "gen_ai.request.frequency_penalty", body.frequency_penalty);
    setIfPresent(out, "gen_ai.request.seed", body.seed);
    if (typeof body.n === "number" && Number.isInteger(body.n) && body.n !== 1) out["gen_ai.request.choice.count"] = body.n;
    if (typeof body.stop === "string") out["gen_ai.request.stop_sequences"] = [body.stop];
    else if (Array.isArray(body.stop)) out["gen_ai.request.stop_sequences"] = body.stop.map(String);
    const format = body.response_format;
    if (typeof format === "string") out["gen_ai.openai.request.response_format"] = format;
    else if (format && typeof format === "object") setIfPresent(out, "gen_ai.openai.request.response_format", (format as JsonObject).type);
    const extra = body.extra_body && typeof body.extra_body === "object" ? (body.extra_body as JsonObject) : {};
    const tier = body.service_tier ?? extra.service_tier;
    if (tier !== "auto") setIfPresent(out, "gen_ai.openai.request.service_tier", tier);
  } else {
    setIfPresent(out, "gen_ai.embeddings.dimension.count", body.dimensions);
    if ("encoding_format" in body) out["gen_ai.request.encoding_formats"] = [String(body.encoding_format)];
  }
  return { ...out, ...providerServerAttributes(baseUrl) };
}

export function spanName(attributes: SpanAttributes): string {
  return `${String(attributes["gen_ai.operation.name"])} ${String(attributes["gen_ai.request.model"] ?? "")}`;
}

function setTruthy(out: SpanAttributes, key: string, value: unknown): void {
  if (truthy(value)) setIfPresent(out, key, value);
}

function usageOf(response: JsonObject): JsonObject | null {
  return truthy(response.usage) ? (response.usage as JsonObject) : null;
}

/** Attributes set when a non-streamed call returns. */
export function responseAttributes(operation: GenAiOperation, response: JsonObject): SpanAttributes {
  const out: SpanAttributes = {};
  setTruthy(out, "gen_ai.response.model", response.model);
  const usage = usageOf(response);
  if (operation === "chat") {
    const choices = Array.isArray(response.choices) ? (response.choices as JsonObject[]) : [];
    if (choices.length > 0) out["gen_ai.response.finish_reasons"] = choices.map((c) => (truthy(c.finish_reason) ? String(c.finish_reason) : "error"));
    setTruthy(out, "gen_ai.response.id", response.id);
    setTruthy(out, "gen_ai.openai.response.service_tier", response.service_tier);
    if (usage) {
      setTruthy(out, "gen_ai.usage.input_tokens", usage.prompt_tokens);
      setTruthy(out, "gen_ai.usage.output_tokens", usage.completion_tokens);
    }
  } else {
    const first = Array.isArray(response.data) ? (response.data[0] as JsonObject | undefined) : undefined;
    const embedding = first?.embedding;
    if (truthy(embedding) && (Array.isArray(embedding) || typeof embedding === "string")) {
      out["gen_ai.embeddings.dimension.count"] = embedding.length;
    }
    if (usage) setTruthy(out, "gen_ai.usage.input_tokens", usage.prompt_tokens);
  }
  return out;
}

/** What a chat stream's chunks tell its span: first model and id, the last usage. */
export class StreamObservation {
  private model: unknown = null;
  private id: unknown = null;
  private serviceTier: unknown = null;
  private usage: JsonObject | null = null;

  observe(chunk: JsonObject): void {
    if (!truthy(this.id) && truthy(chunk.id)) this.id = chunk.id;
    if (!truthy(this.model) && truthy(chunk.model)) this.model = chunk.model;
    if (!truthy(this.serviceTier) && truthy(chunk.service_tier)) this.serviceTier = chunk.service_tier;
    const usage = usageOf(chunk);
    if (usage) this.usage = usage;
  }

  attributes(): SpanAttributes {
    const out: SpanAttributes = {};
    setTruthy(out, "gen_ai.response.model", this.model);
    setTruthy(out, "gen_ai.response.id", this.id);
    if (this.usage) {
      setTruthy(out, "gen_ai.usage.input_tokens", this.usage.prompt_tokens);
      setTruthy(out, "gen_ai.usage.output_tokens", this.usage.completion_tokens);
    }
    setTruthy(out, "gen_ai.openai.response.service_tier", this.serviceTier);
    return out;
  }
}

/**
 * Attributes of both client metrics. `response` is null for a failed call and for a stream (the
 * instrumentation records a stream's metrics from the stream object, which has no model or usage).
 */
export function metricAttributes(request: SpanAttributes, response: JsonObject | null, errorType: string | null): SpanAttributes {
  const out: SpanAttributes = {
    "gen_ai.operation.name": request["gen_ai.operation.name"] as string,
    "gen_ai.system": GEN_AI_SYSTEM,
  };
  for (const key of ["gen_ai.request.model", "gen_ai.embeddings.dimension.count"]) {
    if (request[key] !== undefined) out[key] = request[key] as AttributeValue;
  }
  if (errorType) out["error.type"] = errorType;
  if (response) {
    setTruthy(out, "gen_ai.response.model", response.model);
    setTruthy(out, "gen_ai.openai.response.service_tier", response.service_tier);
    setTruthy(out, "gen_ai.openai.response.system_fingerprint", response.system_fingerprint);
  }
  for (const key of ["server.address", "server.port"]) {
    if (request[key] !== undefined) out[key] = request[key] as AttributeValue;
  }
  return out;
}

/** Token counts the token usage histogram records for a non-streamed response, by token type. */
export function tokenCounts(operation: GenAiOperation, response: JsonObject): { input?: number; output?: number } {
  const usage = usageOf(response);
  if (!usage) return {};
  const out: { input?: number; output?: number } = {};
  if (typeof usage.prompt_tokens === "number") out.input = usage.prompt_tokens;
  if (operation === "chat" && typeof usage.completion_tokens === "number") out.output = usage.completion_tokens;
  return out;
}

/** The OpenAI Python SDK's exception class for a provider failure, which the instrumentation records as error.type. */
export function openAiErrorType(err: unknown): string {
  const status = (err as { statusCode?: unknown }).statusCode;
  const name = (err as { name?: unknown }).name;
  if (name === "ProviderUnavailableError") return "APIConnectionError";
  if (name === "ProviderTimeoutError") return "APITimeoutError";
  if (typeof status !== "number") return typeof name === "string" ? name : "Error";
  const byStatus: Record<number, string> = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
  };
  return byStatus[status] ?? (status >= 500 ? "InternalServerError" : "APIStatusError");
}
