import { PyFloat, type ToolValue } from "./types.js";

/** Python's repr of a float: integral values keep a `.0` suffix. */
export function formatPyFloat(value: number): string {
  if (!Number.isFinite(value)) return "null";
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  return String(value);
}

/**
 * Serializes like `pydantic_core.to_json(value, indent=2)`, which upstream's
 * server uses to turn non-string tool results into text content.
 */
export function toPythonJson(value: ToolValue, indent = 2, depth = 0): string {
  if (value instanceof PyFloat) return formatPyFloat(value.value);
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const pad = " ".repeat(indent * (depth + 1));
  const closePad = " ".repeat(indent * depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((item) => pad + toPythonJson(item, indent, depth + 1));
    return `[\n${items.join(",\n")}\n${closePad}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  const items = entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${toPythonJson(v, indent, depth + 1)}`);
  return `{\n${items.join(",\n")}\n${closePad}}`;
}

/** Plain JSON value (PyFloat unwrapped) for `structuredContent`. */
export function toPlainJson(value: ToolValue): unknown {
  if (value instanceof PyFloat) return Number.isFinite(value.value) ? value.value : null;
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlainJson(v)]));
  }
  return value;
}
