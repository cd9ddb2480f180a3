/**
 * Python's `json.dumps(value)` with default options (", " and ": " separators, ensure_ascii), so
 * uploaded JSONL input files are byte-identical to the ones upstream's tests upload.
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return pyString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`pyJsonDumps: ${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyString(k)}: ${pyJsonDumps(v)}`).join(", ")}}`;
  }
  throw new TypeError(`pyJsonDumps: cannot serialise a ${typeof value}`);
}

function pyString(s: string): string {
  // JSON.stringify already matches Python's escapes for quotes, backslash and control characters;
  // ensure_ascii additionally escapes everything above U+007F as \uXXXX (UTF-16 code units).
  return JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
