/**
 * zod schemas with pydantic's lax coercions and error types, for request fields upstream types as
 * int/float/bool: `"5"` and `5.0` are ints, `1`/`"yes"` are booleans, and failures carry pydantic's
 * type and message (int_parsing, int_from_float, bool_parsing, ...). Use `.nullish()` for `X | None`.
 */
import { z } from "zod";
import { UNSURE, withShortcut } from "./present-fields.js";

/** Issue params read by the validation mapper. */
export interface PyIssueParams {
  pyType: string;
  pyMsg: string;
}

function fail(ctx: z.RefinementCtx, pyType: string, pyMsg: string): typeof z.NEVER {
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: pyMsg, params: { pyType, pyMsg } satisfies PyIssueParams });
  return z.NEVER;
}

const TRUE = new Set(["1", "on", "t", "true", "y", "yes"]);
const FALSE = new Set(["0", "off", "f", "false", "n", "no"]);

/**
 * Python ints are unbounded, JavaScript's exact only up to 2^53: beyond that a value cannot be stored
 * or compared exactly (SQLite would reject it as a float), so it is refused as pydantic refuses
 * integers too large to parse.
 */
function exactInt(ctx: z.RefinementCtx, n: number): number {
  if (Number.isSafeInteger(n)) return n;
  return fail(ctx, "int_parsing_size", "Unable to parse input string as an integer, exceeded maximum size");
}

/** A number already an exact integer, a number, a boolean: what pyInt, pyFloat and pyBool give back unchanged. */
const asIs = {
  int: (v: unknown) => (Number.isSafeInteger(v) ? v : UNSURE),
  float: (v: unknown) => (typeof v === "number" ? v : UNSURE),
  bool: (v: unknown) => (typeof v === "boolean" ? v : UNSURE),
};

export function pyInt() {
  return withShortcut(z.unknown().transform((v, ctx): number => {
    if (v === undefined) return fail(ctx, "missing", "Field required");
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "number") {
      if (Number.isInteger(v)) return exactInt(ctx, v);
      return fail(ctx, "int_from_float", "Input should be a valid integer, got a number with a fractional part");
    }
    if (typeof v === "string") {
      const t = v.trim();
      if (/^[+-]?\d+$/.test(t)) return exactInt(ctx, Number.parseInt(t, 10));
      return fail(ctx, "int_parsing", "Input should be a valid integer, unable to parse string as an integer");
    }
    return fail(ctx, "int_type", "Input should be a valid integer");
  }), asIs.int);
}

export function pyFloat() {
  return withShortcut(z.unknown().transform((v, ctx): number => {
    if (v === undefined) return fail(ctx, "missing", "Field required");
    if (typeof v === "number") return v;
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "string") {
      const n = Number(v.trim());
      if (v.trim() !== "" && !Number.isNaN(n)) return n;
      return fail(ctx, "float_parsing", "Input should be a valid number, unable to parse string as a number");
    }
    return fail(ctx, "float_type", "Input should be a valid number");
  }), asIs.float);
}

export function pyBool() {
  return withShortcut(z.unknown().transform((v, ctx): boolean => {
    if (v === undefined) return fail(ctx, "missing", "Field required");
    if (typeof v === "boolean") return v;
    if (typeof v === "number") {
      if (v === 0 || v === 1) return v === 1;
      return fail(ctx, "bool_parsing", "Input should be a valid boolean, unable to interpret input");
    }
    if (typeof v === "string") {
      const t = v.trim().toLowerCase();
      if (TRUE.has(t)) return true;
      if (FALSE.has(t)) return false;
      return fail(ctx, "bool_parsing", "Input should be a valid boolean, unable to interpret input");
    }
    return fail(ctx, "bool_type", "Input should be a valid boolean");
  }), asIs.bool);
}
