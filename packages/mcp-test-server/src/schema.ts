import type { JsonSchema } from "./types.js";

/** Parameter types that appear in upstream's MCP test tools. */
export type ParamType = "string" | "number" | "integer" | "boolean" | "object" | "object[]";

export interface ParamSpec {
  name: string;
  type: ParamType;
  /** Makes the parameter optional, advertised as pydantic's `default`. */
  default?: string | number | boolean;
}

/** pydantic's field title: `liquid_name` -> `Liquid Name`. */
export function fieldTitle(name: string): string {
  return name
    .split("_")
    .map((word) => (word ? word[0]!.toUpperCase() + word.slice(1).toLowerCase() : word))
    .join(" ");
}

function typeSchema(type: ParamType): JsonSchema {
  switch (type) {
    case "object":
      return { additionalProperties: true, type: "object" };
    case "object[]":
      return { items: { additionalProperties: true, type: "object" }, type: "array" };
    default:
      return { type };
  }
}

/**
 * The input schema upstream's server derives from a Python signature
 * (pydantic model `<fn>Arguments`, keys in pydantic's sorted order), so
 * tool definitions forwarded to a model hash the same as upstream's.
 */
export function argumentsSchema(fnName: string, params: ParamSpec[]): JsonSchema {
  const properties: JsonSchema = {};
  for (const p of params) {
    const { type, ...rest } = typeSchema(p.type);
    const field: JsonSchema = {};
    if (p.default !== undefined) field.default = p.default;
    if ("items" in rest) field.items = rest.items;
    if ("additionalProperties" in rest) field.additionalProperties = rest.additionalProperties;
    field.title = fieldTitle(p.name);
    field.type = type;
    // pydantic sorts keys alphabetically: additionalProperties, default, items, title, type.
    properties[p.name] = Object.fromEntries(Object.entries(field).sort(([a], [b]) => a.localeCompare(b)));
  }
  const required = params.filter((p) => p.default === undefined).map((p) => p.name);
  const schema: JsonSchema = { properties };
  if (required.length > 0) schema.required = required;
  schema.title = `${fnName}Arguments`;
  schema.type = "object";
  return schema;
}

/** Output schema for a primitive return type, wrapped as `{result: ...}`. */
export function wrappedOutputSchema(fnName: string, type: "string" | "number" | "integer"): JsonSchema {
  return {
    properties: { result: { title: "Result", type } },
    required: ["result"],
    title: `${fnName}Output`,
    type: "object",
  };
}

/** Python-style type name for validation messages. */
function pyTypeName(value: unknown): string {
  if (value === null) return "None";
  if (Array.isArray(value)) return "list";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return "dict";
}

function matches(type: ParamType, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "object[]":
      return Array.isArray(value) && value.every((v) => matches("object", v));
  }
}

/**
 * Checks arguments against the parameter list and fills defaults; returns the
 * problems in words (empty when valid), as a validating server would report them.
 */
export function validateArguments(
  params: ParamSpec[],
  args: Record<string, unknown>,
): { values: Record<string, unknown>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const p of params) {
    const value = args[p.name];
    if (value === undefined) {
      if (p.default === undefined) problems.push(`${p.name}: field required`);
      else values[p.name] = p.default;
      continue;
    }
    if (!matches(p.type, value)) {
      problems.push(`${p.name}: expected ${p.type}, got ${pyTypeName(value)}`);
      continue;
    }
    values[p.name] = value;
  }
  return { values, problems };
}
