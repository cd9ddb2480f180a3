/**
 * Attribute filters of vector store search, evaluated against chunk metadata with upstream's
 * semantics: comparison filters (eq, ne, gt, gte, lt, lte) on one key, compound filters
 * (and, or) over sub-filters, a missing key never matches, and any other filter type is an error.
 * Values compare as Python compares them (booleans are numbers, mixed types cannot be ordered).
 */
export function matchesFilters(metadata: Record<string, unknown>, filters: Record<string, unknown>): boolean {
  if (Object.keys(filters).length === 0) return true;
  const type = filters.type;
  switch (type) {
    case "eq":
    case "ne":
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const key = filters.key;
      if (typeof key !== "string" || !Object.hasOwn(metadata, key)) return false;
      const actual = metadata[key];
      const expected = filters.value;
      if (type === "eq") return pyEquals(actual, expected);
      if (type === "ne") return !pyEquals(actual, expected);
      const c = pyCompare(actual, expected);
      if (type === "gt") return c > 0;
      if (type === "gte") return c >= 0;
      if (type === "lt") return c < 0;
      return c <= 0;
    }
    case "and":
    case "or": {
      const subs = Array.isArray(filters.filters) ? (filters.filters as unknown[]) : [];
      const test = (f: unknown) => matchesFilters(metadata, isRecord(f) ? f : {});
      return type === "and" ? subs.every(test) : subs.some(test);
    }
    default:
      throw new UnsupportedFilterError(type);
  }
}

export class UnsupportedFilterError extends Error {
  constructor(type: unknown) {
    super(`Unsupported filter type: ${type === undefined || type === null ? "None" : String(type)}`);
    this.name = "UnsupportedFilterError";
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  return undefined;
}

function pyEquals(a: unknown, b: unknown): boolean {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined || nb !== undefined) return na === nb;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  return a === b;
}

function pyCompare(a: unknown, b: unknown): number {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return Math.sign(na - nb);
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i]);
    }
    return Math.sign(a.length - b.length);
  }
  throw new TypeError(`cannot order ${describe(a)} against ${describe(b)}`);
}

function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}
