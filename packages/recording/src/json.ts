/**
 * JSON with Python `json` semantics: numbers keep their literal text (so 1 and 1.0 stay distinct,
 * as they are int and float in Python), and `dumps` reproduces `json.dumps` byte for byte.
 */
import { parse } from "lossless-json";

/** A JSON number as written in the source text. */
export class JsonNumber {
  constructor(readonly text: string) {}
  /** Python's json module turns a literal with a fraction or exponent into float, the rest into int. */
  get isFloat(): boolean {
    return /[.eE]/.test(this.text);
  }
  toJSON(): number {
    return Number(this.text);
  }
}

/** A number whose final text is already decided (e.g. a float after Python rounding). */
export class RawNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | RawNumber | number | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function parseJson(text: string): JsonValue {
  return parse(text, null, {
    parseNumber: (t: string) => new JsonNumber(t),
    // Python's json keeps the last value of a repeated key.
    onDuplicateKey: ({ newValue }) => newValue,
  }) as JsonValue;
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber) && !(v instanceof RawNumber);
}

/** Python `repr(float)`: shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const [mant = "0", expPart = "0"] = Math.abs(x).toExponential().split("e");
  const digits = mant.replace(".", "");
  const exp = Number(expPart);
  const decpt = exp + 1;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exp);
  return `${sign}${m}e${exp < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
}

/** Python's text for an int literal (arbitrary precision; "-0" is 0). */
export function pyIntText(text: string): string {
  return BigInt(text).toString();
}

function numberText(v: JsonNumber | RawNumber | number): string {
  if (v instanceof RawNumber) return v.text;
  if (v instanceof JsonNumber) return v.isFloat ? pyFloatRepr(Number(v.text)) : pyIntText(v.text);
  return Number.isInteger(v) && !Object.is(v, -0) ? String(v) : pyFloatRepr(v);
}

function escapeAscii(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) {
      out += s[i];
      continue;
    }
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += "\\\\"; break;
      case 0x0a: out += "\\n"; break;
      case 0x0d: out += "\\r"; break;
      case 0x09: out += "\\t"; break;
      case 0x08: out += "\\b"; break;
      case 0x0c: out += "\\f"; break;
      default: out += `\\u${c.toString(16).padStart(4, "0")}`;
    }
  }
  return out + '"';
}

/** Python sorts str keys by code point; JS's default sort compares UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

function fastKeyCompare(a: string, b: string): number {
  // Only strings with surrogates can order differently by code unit and by code point.
  if (/[\ud800-\udfff]/.test(a + b)) return compareCodePoints(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface DumpOptions {
  sortKeys?: boolean;
  /** Python `indent`; without it the separators are ", " and ": " as in `json.dumps`. */
  indent?: number;
  /** Separators "," and ":" (for wire bodies, not hashing). */
  compact?: boolean;
}

/** Python `json.dumps(value, sort_keys=..., indent=...)` with `ensure_ascii=True`. */
export function pyDumps(value: JsonValue, opts: DumpOptions = {}): string {
  const parts: string[] = [];
  const item = opts.indent === undefined && !opts.compact ? ", " : ",";
  const colon = opts.compact ? ":" : ": ";
  const write = (v: JsonValue, depth: number): void => {
    if (v === null) parts.push("null");
    else if (v === true) parts.push("true");
    else if (v === false) parts.push("false");
    else if (typeof v === "string") parts.push(escapeAscii(v));
    else if (typeof v === "number" || v instanceof JsonNumber || v instanceof RawNumber) parts.push(numberText(v));
    else if (Array.isArray(v)) {
      if (v.length === 0) return void parts.push("[]");
      const [open, sep, close] = brackets("[", "]", depth);
      parts.push(open);
      v.forEach((x, i) => {
        if (i > 0) parts.push(item + sep);
        write(x, depth + 1);
      });
      parts.push(close);
    } else {
      let keys = Object.keys(v).filter((k) => v[k] !== undefined);
      if (keys.length === 0) return void parts.push("{}");
      if (opts.sortKeys) keys = keys.sort(fastKeyCompare);
      const [open, sep, close] = brackets("{", "}", depth);
      parts.push(open);
      keys.forEach((k, i) => {
        if (i > 0) parts.push(item + sep);
        parts.push(escapeAscii(k), colon);
        write(v[k] as JsonValue, depth + 1);
      });
      parts.push(close);
    }
  };
  const brackets = (o: string, c: string, depth: number): [string, string, string] => {
    if (opts.indent === undefined) return [o, "", c];
    const inner = "\n" + " ".repeat(opts.indent * (depth + 1));
    return [o + inner, inner, "\n" + " ".repeat(opts.indent * depth) + c];
  };
  write(value, 0);
  return parts.join("");
}
