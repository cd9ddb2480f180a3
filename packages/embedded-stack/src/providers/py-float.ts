/**
 * Upstream parses float-typed request fields into Python floats, so a client's `0` reaches the provider
 * as `0.0`; recorded request hashes keep that distinction. PyFloat marks such values and
 * stringifyProviderBody writes them with a decimal point.
 */
export class PyFloat {
  constructor(readonly value: number) {}

  /** A marked string, which stringifyProviderBody turns into the bare float. */
  toJSON(): string {
    return `${MARK}${floatText(this.value)}\u0000`;
  }
}

const MARK = "\u0000pyfloat:";
/** The mark as JSON.stringify writes it. */
const WRITTEN_MARK = '"\\u0000pyfloat:';
const MARKED = /"\\u0000pyfloat:([^"\\]+)\\u0000"/g;

function floatText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const text = String(n);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** JSON.stringify, but floats are written with a decimal point (no replacer: one runs for every key). */
export function stringifyProviderBody(body: unknown): string {
  const json = JSON.stringify(body);
  return json.includes(WRITTEN_MARK) ? json.replace(MARKED, "$1") : json;
}

/** Wraps a number (or the numbers of a record, for logit_bias) as floats; other values are left alone. */
export function asPyFloat(value: unknown): unknown {
  if (typeof value === "number") return new PyFloat(value);
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === "number" ? new PyFloat(v) : v]));
  }
  return value;
}
