import { EXPIRES_AFTER_MAX_SECONDS, EXPIRES_AFTER_MIN_SECONDS, type ExpiresAfter } from "./types.js";

/**
 * Reads `expires_after` from multipart form fields, either as bracket fields
 * (`expires_after[anchor]`, `expires_after[seconds]`, what the OpenAI SDKs send) or as one
 * JSON string field. Like upstream, a value that does not validate (wrong anchor, seconds
 * outside 3600..2592000, not an integer) is ignored and the file keeps the default expiry.
 */
export function parseExpiresAfter(fields: ReadonlyMap<string, string>): ExpiresAfter | undefined {
  const bracket: Record<string, unknown> = {};
  let sawBracket = false;
  for (const [key, value] of fields) {
    const m = /^expires_after\[(.+)\]$/.exec(key);
    if (m?.[1]) {
      bracket[m[1]] = value;
      sawBracket = true;
    }
  }
  if (sawBracket) {
    const parsed = validate(bracket);
    if (parsed) return parsed;
  }
  const raw = fields.get("expires_after");
  if (raw === undefined) return undefined;
  try {
    const data: unknown = JSON.parse(raw);
    return data !== null && typeof data === "object" && !Array.isArray(data)
      ? validate(data as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function validate(data: Record<string, unknown>): ExpiresAfter | undefined {
  if (data.anchor !== "created_at") return undefined;
  const seconds = toInteger(data.seconds);
  if (seconds === undefined || seconds < EXPIRES_AFTER_MIN_SECONDS || seconds > EXPIRES_AFTER_MAX_SECONDS) {
    return undefined;
  }
  return { anchor: "created_at", seconds };
}

/** Integer coercion as a lax schema validator does it: integral numbers and digit strings. */
function toInteger(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? value : undefined;
  if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  return undefined;
}
