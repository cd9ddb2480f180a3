/**
 * The body upstream Llama Stack sends a remote provider (openai_mixin + prepare_openai_completion_params):
 * the provider's model id, declared fields without nulls, typed sub-objects (messages, response_format)
 * without null keys, and undeclared request keys nested under `extra_body`, as its recorder sees them.
 */
import { asPyFloat } from "../../providers/py-float.js";
import type { JsonObject } from "../../server/types.js";

/** Request fields upstream types as float (logit_bias: values), sent with a decimal point. */
const FLOAT_FIELDS = new Set(["temperature", "top_p", "frequency_penalty", "presence_penalty", "logit_bias"]);

/** pydantic model_dump(exclude_none=True) for values upstream parses into models. */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, dropNulls(v)]),
    );
  }
  return value;
}

/** Tool calls in assistant messages get their model default `type: "function"`. */
function normalizeMessage(message: unknown): unknown {
  const m = dropNulls(message) as JsonObject;
  if (Array.isArray(m.tool_calls)) {
    m.tool_calls = m.tool_calls.map((call) => ({ type: "function", ...(call as JsonObject) }));
  }
  return m;
}

function pick(body: JsonObject, fields: readonly string[], model: string): JsonObject {
  const out: JsonObject = {};
  for (const field of fields) {
    const value = field === "model" ? model : body[field];
    if (value !== null && value !== undefined) out[field] = FLOAT_FIELDS.has(field) ? asPyFloat(value) : value;
  }
  const extra = Object.fromEntries(Object.entries(body).filter(([k]) => !fields.includes(k)));
  if (Object.keys(extra).length > 0) out.extra_body = extra;
  return out;
}

export interface ProviderQuirks {
  /** vLLM: max_tokens applied when the request has none. */
  defaultMaxTokens?: number;
  /** vLLM: tool_choice without tools is sent as "none". */
  toolChoiceNoneWithoutTools?: boolean;
  /** Ollama: http image parts are downloaded and sent inline. */
  downloadImages?: boolean;
  /** Ollama, vLLM: upstream never adds `stream_options` for telemetry (supports_stream_options = False). */
  noStreamOptions?: boolean;
}

/**
 * Upstream (get_stream_options_for_telemetry) asks a provider that takes stream_options for usage on
 * every stream while a span is recording, so streamed calls' spans get token counts.
 */
export function withTelemetryStreamOptions(body: JsonObject, quirks: ProviderQuirks, recording: boolean): JsonObject {
  if (!recording || body.stream !== true || quirks.noStreamOptions) return body;
  const options = body.stream_options && typeof body.stream_options === "object" ? (body.stream_options as JsonObject) : {};
  return { ...body, stream_options: { ...options, include_usage: true } };
}

export function chatBody(body: JsonObject, fields: readonly string[], providerModel: string, quirks: ProviderQuirks): JsonObject {
  const prepared: JsonObject = { ...body };
  if (Array.isArray(prepared.messages)) prepared.messages = prepared.messages.map(normalizeMessage);
  if (prepared.response_format) prepared.response_format = dropNulls(prepared.response_format);
  if (quirks.defaultMaxTokens && (prepared.max_tokens === null || prepared.max_tokens === undefined)) {
    prepared.max_tokens = quirks.defaultMaxTokens;
  }
  const hasTools = Array.isArray(prepared.tools) && prepared.tools.length > 0;
  if (quirks.toolChoiceNoneWithoutTools && !hasTools && prepared.tool_choice !== null && prepared.tool_choice !== undefined) {
    prepared.tool_choice = "none";
  }
  return pick(prepared, fields, providerModel);
}

export function completionBody(body: JsonObject, fields: readonly string[], providerModel: string): JsonObject {
  return pick(body, fields, providerModel);
}

export function embeddingsBody(body: JsonObject, fields: readonly string[], providerModel: string): JsonObject {
  return pick({ encoding_format: "float", ...body }, fields, providerModel);
}
