/** Python's `==` and `in` on JSON values, which the basic scoring functions compare with. */

export function pyEquals(a: unknown, b: unknown): boolean {
  if (typeof a === "boolean" || typeof b === "boolean") {
    // True == 1 and False == 0 in Python.
    const num = (v: unknown) => (typeof v === "boolean" ? Number(v) : v);
    return num(a) === num(b);
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => pyEquals(v, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => k in b && pyEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `needle in haystack`; Python raises TypeError for the combinations it cannot test. */
export function pyContains(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === "string") {
    if (typeof needle !== "string") throw new TypeError(`'in <string>' requires string as left operand, not ${pyTypeName(needle)}`);
    return haystack.includes(needle);
  }
  if (Array.isArray(haystack)) return haystack.some((v) => pyEquals(v, needle));
  if (haystack && typeof haystack === "object") return typeof needle === "string" && Object.hasOwn(haystack, needle);
  throw new TypeError(`argument of type '${pyTypeName(haystack)}' is not iterable`);
}

function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "str";
  return Array.isArray(v) ? "list" : "dict";
}
