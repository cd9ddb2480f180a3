/**
 * Request bodies validated field by field. zod's parse of an object runs every declared field's schema
 * (23 for a chat completion: most of a replayed request's validation time) and a JSON request names a
 * few of them. `presentFieldsParser` builds what zod's parse builds, by running only the schemas that
 * can change the outcome: a present field's (or a shortcut registered as equivalent to it), and an
 * absent field's unless it is optional. Declared keys come first, in declaration order, then the
 * others as the object's unknown-keys mode says, as zod orders them. Anything it cannot vouch for is
 * `null`: the caller parses the body with zod itself, whose errors are the answer.
 */
import { z, type ZodTypeAny } from "zod";

/** What a shortcut returns for a value it cannot vouch for. */
export const UNSURE: unique symbol = Symbol("unsure");

/** For a value, exactly what the schema it stands for gives, or UNSURE. */
export type Shortcut = (value: unknown) => unknown;

const shortcuts = new WeakMap<ZodTypeAny, Shortcut>();

/** Registers `shortcut` as giving, for every value it does not answer UNSURE, what `schema` gives. */
export function withShortcut<S extends ZodTypeAny>(schema: S, shortcut: Shortcut): S {
  shortcuts.set(schema, shortcut);
  return schema;
}

const isString: Shortcut = (v) => (typeof v === "string" ? v : UNSURE);

function shortcutOf(schema: ZodTypeAny): Shortcut | undefined {
  const registered = shortcuts.get(schema);
  if (registered) return registered;
  if (schema instanceof z.ZodString && schema._def.checks.length === 0 && !schema._def.coerce) return isString;
  return undefined;
}

/** One field: null and undefined where its wrappers let them through, else its shortcut, else its own zod parse. */
function fieldParser(schema: ZodTypeAny): Shortcut {
  let inner = schema;
  let optional = false;
  let nullable = false;
  for (;;) {
    if (inner instanceof z.ZodOptional) optional = true;
    else if (inner instanceof z.ZodNullable) nullable = true;
    else break;
    inner = (inner as z.ZodOptional<ZodTypeAny> | z.ZodNullable<ZodTypeAny>).unwrap();
  }
  const shortcut = shortcutOf(inner);
  return (value) => {
    if (value === undefined && optional) return undefined;
    if (value === null && nullable) return null;
    const quick = shortcut ? shortcut(value) : UNSURE;
    if (quick !== UNSURE) return quick;
    const result = schema.safeParse(value);
    return result.success ? result.data : UNSURE;
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

export type PresentFieldsParser = (value: unknown) => Record<string, unknown> | null;

/** A parser equivalent to `schema.safeParse` on success, null where zod must decide; null for schemas it does not cover. */
export function presentFieldsParser(schema: z.AnyZodObject): PresentFieldsParser | null {
  if (!(schema._def.catchall instanceof z.ZodNever)) return null;
  const mode = schema._def.unknownKeys as "passthrough" | "strip" | "strict";
  const shape = schema.shape as Record<string, ZodTypeAny>;
  const fields = Object.entries(shape).map(([key, field]) => ({ key, parse: fieldParser(field) }));
  const declared = new Set(Object.keys(shape));
  return (value) => {
    if (!isPlainObject(value)) return null;
    const out: Record<string, unknown> = {};
    for (const { key, parse } of fields) {
      const present = key in value;
      const parsed = parse(value[key]);
      if (parsed === UNSURE) return null;
      if (present || parsed !== undefined) out[key] = parsed;
    }
    for (const key of Object.keys(value)) {
      if (declared.has(key)) continue;
      // zod drops this key and reports strict mode's extras itself.
      if (key === "__proto__" || mode === "strict") return null;
      if (mode === "passthrough") out[key] = value[key];
    }
    return out;
  };
}
