import type { BatchError, BatchRequest } from "./types.js";

/** Answers whether a model id is registered with the stack. */
export type ModelLookup = (model: string) => boolean | Promise<boolean>;

type Check = { param: string; ok: (v: unknown) => boolean; typeText: string };

const LINE_FIELDS: Check[] = [
  { param: "custom_id", ok: isString, typeText: "string" },
  { param: "method", ok: isString, typeText: "string" },
  { param: "url", ok: isString, typeText: "string" },
  { param: "body", ok: isDict, typeText: "JSON dictionary object" },
];

/** Body fields each endpoint needs; checked up front because failing at inference time is expensive. */
const BODY_FIELDS: Record<string, Check[]> = {
  "/v1/chat/completions": [
    { param: "model", ok: isString, typeText: "a string" },
    { param: "messages", ok: Array.isArray, typeText: "an array" },
  ],
  "/v1/completions": [
    { param: "model", ok: isString, typeText: "a string" },
    { param: "prompt", ok: isString, typeText: "a string" },
  ],
  "/v1/embeddings": [
    { param: "model", ok: isString, typeText: "a string" },
    { param: "input", ok: (v) => isString(v) || Array.isArray(v), typeText: "a string or array of strings" },
  ],
};

/**
 * Validates a JSONL batch input file line by line with upstream's error codes, messages, lines and
 * params. All errors are collected; any error fails the whole batch.
 */
export async function validateBatchInput(
  text: string,
  endpoint: string,
  modelExists: ModelLookup,
): Promise<{ errors: BatchError[]; requests: BatchRequest[] }> {
  const errors: BatchError[] = [];
  const requests: BatchRequest[] = [];
  // Upstream numbers lines after stripping the file, so leading blank lines do not count.
  const lines = pyStrip(text).split("\n");
  for (const [index, line] of lines.entries()) {
    const lineNum = index + 1;
    if (!pyStrip(line)) continue;
    const err = (code: string, message: string, param: string | null = null) =>
      errors.push({ code, line: lineNum, message, param });

    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch {
      err("invalid_json_line", "This line is not parseable as valid JSON.");
      continue;
    }
    if (!isDict(request)) {
      err("invalid_request", "Each line must be a JSON dictionary object");
      continue;
    }

    let valid = true;
    for (const { param, ok, typeText } of LINE_FIELDS) {
      if (!(param in request)) {
        err("missing_required_parameter", `Missing required parameter: ${param}`, param);
        valid = false;
      } else if (!ok(request[param])) {
        const name = param === "url" ? "URL" : capitalize(param);
        err("invalid_request", `${name} must be a ${typeText}`, param);
        valid = false;
      }
    }

    const url = request.url;
    if (isString(url) && url && url !== endpoint) {
      err("invalid_url", "URL provided for this request does not match the batch endpoint", "url");
      valid = false;
    }

    const body = request.body;
    // An empty body is falsy upstream and skips the body checks.
    if (isDict(body) && Object.keys(body).length > 0) {
      if (pyTruthy(body.stream ?? false)) {
        err("streaming_unsupported", "Streaming is not supported in batch processing", "body.stream");
        valid = false;
      }
      for (const { param, ok, typeText } of BODY_FIELDS[endpoint] ?? []) {
        if (!(param in body)) {
          err("invalid_request", `${capitalize(param)} parameter is required`, `body.${param}`);
          valid = false;
        } else if (!ok(body[param])) {
          err("invalid_request", `${capitalize(param)} must be ${typeText}`, `body.${param}`);
          valid = false;
        }
      }
      if (isString(body.model) && !(await modelExists(body.model))) {
        err("model_not_found", `Model '${body.model}' does not exist or is not supported`, "body.model");
        valid = false;
      }
    }

    if (valid) {
      requests.push({
        lineNum,
        customId: request.custom_id as string,
        method: request.method as string,
        url: url as string,
        body: body as Record<string, unknown>,
      });
    }
  }
  return { errors, requests };
}

function isString(v: unknown): v is string {
  return typeof v === "string";
}

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Python's str.capitalize(): first letter upper, the rest lower. */
function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

/** Python's str.strip() without arguments (whitespace both ends). */
function pyStrip(s: string): string {
  return s.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/gu, "");
}

/** Python truthiness of a JSON value. */
export function pyTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}
