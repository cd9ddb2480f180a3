/** Request hashes identical to Llama Stack's recorder (normalize_inference_request / normalize_tool_request). */
import { createHash } from "node:crypto";
import { JsonNumber, RawNumber, isJsonObject, pyDumps, pyFloatRepr, type JsonValue } from "./json.js";
import { pyFixed5, pyRound5 } from "./pyround.js";
import { DEFAULT_RULES, type RecorderRules } from "./recorder-rules.js";

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

const FILE_SEARCH_SCORE = /score:\s*[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?/g;
const FILE_SEARCH_ATTRIBUTES = /,?\s*attributes:\s*\{[^}]*\}/g;
const UUID = "[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}";
const FILE_SEARCH_DOCUMENT_ID = new RegExp(`document_id:\\s*${UUID}`, "g");
const FILE_SEARCH_CITATION = new RegExp(`<\\|${UUID}\\|>`, "g");

/** file_search tool output varies between runs (scores, attributes, ids): placeholders keep hashes stable. */
export function normalizeFileSearchText(value: string): string {
  return value
    .replace(FILE_SEARCH_SCORE, "score: __NORMALIZED__")
    .replace(FILE_SEARCH_ATTRIBUTES, "")
    .replace(FILE_SEARCH_DOCUMENT_ID, "document_id: __NORMALIZED__")
    .replace(FILE_SEARCH_CITATION, "<|__NORMALIZED__|>");
}

interface BodyOptions {
  rules: RecorderRules;
  dropStreamOptions: boolean;
}

function normalizeValue(value: unknown, o: BodyOptions, isRoot: boolean): JsonValue {
  // Upstream normalizes list items as roots of their own (their extra_body loses project_id too).
  if (Array.isArray(value)) return value.map((v) => normalizeValue(v, { ...o, dropStreamOptions: false }, true));
  if (typeof value === "string") {
    const text = o.rules.fileSearchPlaceholders ? normalizeFileSearchText(value) : value;
    return o.rules.roundsNumbers ? normalizeNumericLiteralStrings(text) : text;
  }
  if (value instanceof JsonNumber) {
    if (!value.isFloat) return value;
    const x = Number(value.text);
    return new RawNumber(pyFloatRepr(o.rules.roundsNumbers ? pyRound5(x) : x));
  }
  if (typeof value === "number") {
    if (Number.isInteger(value)) return value;
    return new RawNumber(pyFloatRepr(o.rules.roundsNumbers ? pyRound5(value) : value));
  }
  if (value instanceof RawNumber || value === null || typeof value === "boolean") return value;
  if (isJsonObject(value)) {
    const out: Record<string, JsonValue> = {};
    const inner = { ...o, dropStreamOptions: false };
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = normalizeValue(v, inner, false);
    if (o.dropStreamOptions) delete out.stream_options;
    if (o.rules.stripsProjectId && isRoot) {
      for (const key of ["extra_body", "extra_query"]) {
        const extra = out[key];
        if (isJsonObject(extra)) delete extra.project_id;
      }
    }
    return out;
  }
  if (value === undefined) return null;
  throw new TypeError(`Cannot hash a value of type ${typeof value}; request bodies must be JSON values`);
}

/** The body as the recorder hashes it under `rules` (by default: floats rounded to 5 places, strings' long decimals rounded). */
export function normalizeBodyForHash(value: unknown, rules: RecorderRules = DEFAULT_RULES, opts: { bedrock?: boolean } = {}): JsonValue {
  return normalizeValue(value, { rules, dropStreamOptions: rules.bedrockDropsStreamOptions && opts.bedrock === true }, true);
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * sha256 of Python `json.dumps({method, endpoint, body, test_id}, sort_keys=True)`; `endpoint` is the
 * URL path, `host` the URL's host (only the Bedrock rule reads it).
 */
export function requestHash(
  req: { method: string; endpoint: string; body: unknown; testId: string | null; host?: string },
  rules: RecorderRules = DEFAULT_RULES,
): string {
  const normalized: Record<string, JsonValue> = {
    method: req.method.toUpperCase(),
    endpoint: req.endpoint,
    body: normalizeBodyForHash(req.body, rules, { bedrock: (req.host ?? "").includes("bedrock") }),
  };
  if (!rules.modelListPaths.includes(req.endpoint)) normalized.test_id = req.testId;
  return sha256Hex(pyDumps(normalized, { sortKeys: true }));
}

/** Hash of a raw HTTP recording (0.6+: rerank, Messages and Interactions passthrough): the full URL and the normalized payload. */
export function httpRequestHash(req: { url: string; method: string; payload: unknown; testId: string | null }, rules: RecorderRules): string {
  const normalized: Record<string, JsonValue> = {
    test_id: req.testId,
    url: req.url,
    method: req.method.toUpperCase(),
    payload: normalizeBodyForHash(req.payload, rules),
  };
  return sha256Hex(pyDumps(normalized, { sortKeys: true }));
}

/**
 * Hash of a file-processor recording. The recorder hashed the request's chunking strategy but did
 * not store it; vector store file insertion always sent the default (static, 800 / 400 tokens).
 */
export function fileProcessorRequestHash(req: { fileId: string | null; testId: string | null; chunkingStrategy?: JsonValue }): string {
  return sha256Hex(pyDumps({
    test_id: req.testId,
    api: "file_processors",
    file_id: req.fileId,
    chunking_strategy: req.chunkingStrategy ?? DEFAULT_CHUNKING_STRATEGY,
  }, { sortKeys: true }));
}

const DEFAULT_CHUNKING_STRATEGY: JsonValue = { type: "static", static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } };

/** Hash of a tool invocation: provider, tool name and kwargs, without rounding. */
export function toolRequestHash(req: { provider: string; toolName: string; kwargs: unknown }): string {
  return sha256Hex(pyDumps({ provider: req.provider, tool_name: req.toolName, kwargs: req.kwargs as JsonValue }, { sortKeys: true }));
}
