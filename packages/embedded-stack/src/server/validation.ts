/**
 * zod validation reported the way upstream (FastAPI + pydantic) reports it: 400 with
 * detail.errors[{loc, msg, type}], loc starting with "body" or "query", pydantic's wording.
 */
import { z, type ZodIssue, type ZodTypeAny, type infer as ZodInfer } from "zod";
import { RequestValidationError, type ValidationIssue } from "./errors.js";
import { presentFieldsParser, type PresentFieldsParser } from "./present-fields.js";
import type { PyIssueParams } from "./py-types.js";

const TYPE_NAMES: Record<string, [string, string]> = {
  string: ["string_type", "Input should be a valid string"],
  number: ["float_type", "Input should be a valid number"],
  integer: ["int_type", "Input should be a valid integer"],
  boolean: ["bool_type", "Input should be a valid boolean"],
  object: ["dict_type", "Input should be a valid dictionary"],
  array: ["list_type", "Input should be a valid list"],
};

function quoteAll(values: readonly unknown[]): string {
  const parts = values.map((v) => `'${String(v)}'`);
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]}`;
}

function issueToPydantic(issue: ZodIssue, prefix: string): ValidationIssue[] {
  const loc: (string | number)[] = [prefix, ...issue.path];
  switch (issue.code) {
    case "invalid_type": {
      if (issue.received === "undefined") return [{ loc, msg: "Field required", type: "missing" }];
      const [type, msg] = TYPE_NAMES[issue.expected] ?? ["value_error", issue.message];
      return [{ loc, msg, type }];
    }
    case "unrecognized_keys":
      return issue.keys.map((key) => ({ loc: [...loc, key], msg: "Extra inputs are not permitted", type: "extra_forbidden" }));
    case "invalid_enum_value":
      return [{ loc, msg: `Input should be ${quoteAll(issue.options)}`, type: "enum" }];
    case "invalid_literal":
      return [{ loc, msg: `Input should be ${quoteAll([issue.expected])}`, type: "literal_error" }];
    case "too_small":
      if (issue.type === "number") {
        return issue.inclusive
          ? [{ loc, msg: `Input should be greater than or equal to ${issue.minimum}`, type: "greater_than_equal" }]
          : [{ loc, msg: `Input should be greater than ${issue.minimum}`, type: "greater_than" }];
      }
      if (issue.type === "string") {
        return [{ loc, msg: `String should have at least ${issue.minimum} character${issue.minimum === 1 ? "" : "s"}`, type: "string_too_short" }];
      }
      return [{ loc, msg: `List should have at least ${issue.minimum} item${issue.minimum === 1 ? "" : "s"} after validation, not 0`, type: "too_short" }];
    case "too_big":
      if (issue.type === "number") {
        return issue.inclusive
          ? [{ loc, msg: `Input should be less than or equal to ${issue.maximum}`, type: "less_than_equal" }]
          : [{ loc, msg: `Input should be less than ${issue.maximum}`, type: "less_than" }];
      }
      return [{ loc, msg: `Value should have at most ${issue.maximum} items`, type: "too_long" }];
    case "invalid_union": {
      // pydantic reports one error per union member; the first member's errors are the useful ones.
      const first = issue.unionErrors[0]?.issues ?? [];
      return first.length > 0 ? first.flatMap((i) => issueToPydantic(i, prefix)) : [{ loc, msg: issue.message, type: "union_tag_invalid" }];
    }
    case "custom": {
      const params = issue.params as Partial<PyIssueParams> | undefined;
      if (params?.pyType && params.pyMsg) return [{ loc, msg: params.pyMsg, type: params.pyType }];
      return [{ loc, msg: `Value error, ${issue.message}`, type: "value_error" }];
    }
    default:
      return [{ loc, msg: issue.message.startsWith("Value error") ? issue.message : `Value error, ${issue.message}`, type: "value_error" }];
  }
}

function parseWith<S extends ZodTypeAny>(schema: S, value: unknown, prefix: string): ZodInfer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as ZodInfer<S>;
  throw new RequestValidationError(result.error.issues.flatMap((i) => issueToPydantic(i, prefix)));
}

/** Each object schema's field-by-field parser, built on first use (null: zod parses it whole). */
const bodyParsers = new WeakMap<ZodTypeAny, PresentFieldsParser | null>();

function presentFieldsOf(schema: ZodTypeAny): PresentFieldsParser | null {
  let parser = bodyParsers.get(schema);
  if (parser === undefined) {
    parser = schema instanceof z.ZodObject ? presentFieldsParser(schema) : null;
    bodyParsers.set(schema, parser);
  }
  return parser;
}

/**
 * Validates a JSON request body; a missing body validates as `{}` so required fields report "Field
 * required". An object schema parses only the fields that matter first (see present-fields.ts).
 */
export function parseBody<S extends ZodTypeAny>(schema: S, value: unknown): ZodInfer<S> {
  const body = value ?? {};
  const parsed = presentFieldsOf(schema)?.(body);
  return parsed ? (parsed as ZodInfer<S>) : parseWith(schema, body, "body");
}

/** Validates the query string object (Fastify's parsed query; repeated keys arrive as arrays). */
export function parseQuery<S extends ZodTypeAny>(schema: S, value: unknown): ZodInfer<S> {
  return parseWith(schema, value ?? {}, "query");
}

/** Body that is not JSON: pydantic's "JSON decode error" at the byte offset. */
export function jsonDecodeError(position: number): RequestValidationError {
  return new RequestValidationError([{ loc: ["body", position], msg: "JSON decode error", type: "json_invalid" }]);
}
