import { badRequest } from "./errors.js";

/** Small typed readers for JSON request bodies; each throws a 400 naming the field. */
export type Json = Record<string, unknown>;

export function asObject(value: unknown, field: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest(field, `'${field}' must be a JSON object.`);
  }
  return value as Json;
}

export function requiredString(body: Json, field: string, path = field): string {
  const v = body[field];
  if (typeof v !== "string" || v.length === 0) throw badRequest(path, `'${path}' is required and must be a non-empty string.`);
  return v;
}

export function optionalString(body: Json, field: string, path = field): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw badRequest(path, `'${path}' must be a string.`);
  return v;
}

export function optionalBoolean(body: Json, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw badRequest(field, `'${field}' must be a boolean.`);
  return v;
}

export function optionalNumber(body: Json, field: string, range: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const kind = range.integer ? "an integer" : "a number";
  if (typeof v !== "number" || !Number.isFinite(v) || (range.integer && !Number.isInteger(v))) {
    throw badRequest(field, `'${field}' must be ${kind}.`);
  }
  if ((range.min !== undefined && v < range.min) || (range.max !== undefined && v > range.max)) {
    throw badRequest(field, `'${field}' must be ${kind} between ${range.min ?? "-inf"} and ${range.max ?? "inf"}; got ${v}.`);
  }
  return v;
}

/** `stop`: a string or an array of up to 4 strings. */
export function stopSequences(body: Json): string[] {
  const v = body.stop;
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return v ? [v] : [];
  if (Array.isArray(v) && v.length <= 4 && v.every((s) => typeof s === "string")) return (v as string[]).filter(Boolean);
  throw badRequest("stop", "'stop' must be a string or an array of at most 4 strings.");
}
