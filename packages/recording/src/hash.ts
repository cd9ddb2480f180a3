/** Request hashes identical to Llama Stack's recorder (normalize_inference_request / normalize_tool_request). */
import { createHash } from "node:crypto";
import { JsonNumber, RawNumber, isJsonObject, pyDumps, pyFloatRepr, type JsonValue } from "./json.js";
import { pyFixed5, pyRound5 } from "./pyround.js";

/** Endpoints shared across tests: their hash leaves out the test id. */
export const MODEL_LIST_PATHS: readonly string[] = ["/api/tags", "/v1/models", "/v1/openai/v1/models"];

export function isModelListPath(path: string): boolean {
  return MODEL_LIST_PATHS.includes(path);
}

const LONG_DECIMAL = /(-?\d+\.\d{4,})/g;

/** Round decimal literals with 4+ places inside strings so float noise in prompts does not change hashes. */
export function normalizeNumericLiteralStrings(value: string): string {
  if (!value.includes(".")) return value;
  return value.replace(LONG_DECIMAL, (m) => pyFixed5(Number(m)));
}

/** Floats rounded to 5 places, strings' long decimals rounded; ints untouched. */
export function normalizeBodyForHash(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(normalizeBodyForHash);
  if (typeof value === "string") return normalizeNumericLiteralStrings(value);
  if (value instanceof JsonNumber) {
    return value.isFloat ? new RawNumber(pyFloatRepr(pyRound5(Number(value.text)))) : value;
  }
  if (typeof value === "number") {
    return Number.isInteger(value) ? value : new RawNumber(pyFloatRepr(pyRound5(value)));
  }
  if (value instanceof RawNumber || value === null || typeof value === "boolean") return value;
  if (isJsonObject(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = normalizeBodyForHash(v);
    return out;
  }
  if (value === undefined) return null;
  throw new TypeError(`Cannot hash a value of type ${typeof value}; request bodies must be JSON values`);
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** sha256 of Python `json.dumps({method, endpoint, body, test_id}, sort_keys=True)`; `endpoint` is the URL path. */
export function requestHash(req: { method: string; endpoint: string; body: unknown; testId: string | null }): string {
  const normalized: Record<string, JsonValue> = {
    method: req.method.toUpperCase(),
    endpoint: req.endpoint,
    body: normalizeBodyForHash(req.body),
  };
  if (!isModelListPath(req.endpoint)) normalized.test_id = req.testId;
  return sha256Hex(pyDumps(normalized, { sortKeys: true }));
}

/** Hash of a tool invocation: provider, tool name and kwargs, without rounding. */
export function toolRequestHash(req: { provider: string; toolName: string; kwargs: unknown }): string {
  return sha256Hex(pyDumps({ provider: req.provider, tool_name: req.toolName, kwargs: req.kwargs as JsonValue }, { sortKeys: true }));
}
