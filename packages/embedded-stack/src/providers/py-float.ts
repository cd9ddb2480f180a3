/**
 * Upstream parses float-typed request fields into Python floats, so a client's `0` reaches the provider
 * as `0.0`; recorded request hashes keep that distinction. PyFloat marks such values and
 * stringifyProviderBody writes them with a decimal point.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

const MARK = "\u0000pyfloat:";
const MARKED = /"\\u0000pyfloat:([^"\\]+)\\u0000"/g;

function floatText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const text = String(n);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

export function stringifyProviderBody(body: unknown): string {
  const json = JSON.stringify(body, (_key, value: unknown) => (value instanceof PyFloat ? `${MARK}${floatText(value.value)}\u0000` : value));
  return json.replace(MARKED, "$1");
}

/** Wraps a number (or the numbers of a record, for logit_bias) as floats; other values are left alone. */
export function asPyFloat(value: unknown): unknown {
  if (typeof value === "number") return new PyFloat(value);
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === "number" ? new PyFloat(v) : v]));
  }
  return value;
}
