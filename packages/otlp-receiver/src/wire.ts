import { OtlpShapeError } from "./errors.js";

/**
 * Typed reads over a decoded request object. Both decoders produce the same field names
 * (lowerCamelCase); they differ in how bytes and 64-bit integers arrive, which the callers
 * settle through `WireDialect`.
 */
export type Obj = Record<string, unknown>;

/** How one encoding spells what protobuf and OTLP/JSON spell differently. */
export interface WireDialect {
  /** Trace and span ids: bytes in protobuf, hex strings in OTLP/JSON. Returns lowercase hex. */
  id(value: unknown, path: string): string;
  /** AnyValue.bytesValue: bytes in protobuf, base64 in OTLP/JSON. */
  bytes(value: unknown, path: string): Uint8Array;
}

export function obj(value: unknown, path: string): Obj {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new OtlpShapeError(path, "expected an object");
  return value as Obj;
}

export function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpShapeError(path, "expected an array");
  return value;
}

export function str(value: unknown, path: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw new OtlpShapeError(path, "expected a string");
  return value;
}

export function bool(value: unknown, path: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw new OtlpShapeError(path, "expected a boolean");
  return value;
}

/** 64-bit integers: protobufjs yields decimal strings, OTLP/JSON allows strings or numbers. */
export function int64(value: unknown, path: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  throw new OtlpShapeError(path, "expected a 64-bit integer (number or decimal string)");
}

export function nanos(value: unknown, path: string): string {
  return int64(value, path).toString();
}

/** Counts are far below 2^53 in any test; a larger one is refused rather than rounded. */
export function count(value: unknown, path: string): number {
  const n = int64(value, path);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < 0n) throw new OtlpShapeError(path, "count out of range");
  return Number(n);
}

export function int32(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  throw new OtlpShapeError(path, "expected an integer");
}

const SPECIAL_DOUBLES: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, "-Infinity": -Infinity };

/** Doubles; proto3 JSON spells the non-finite ones as strings. */
export function double(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number") return value;
  if (typeof value === "string" && value in SPECIAL_DOUBLES) return SPECIAL_DOUBLES[value]!;
  throw new OtlpShapeError(path, "expected a number");
}

export function optionalDouble(value: unknown, path: string): number | undefined {
  return value === undefined || value === null ? undefined : double(value, path);
}
