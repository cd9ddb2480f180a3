/**
 * Validation of the stack's answers against upstream's OpenAPI spec, read from ../shared at run time;
 * tests skip when the tree is absent (a user's clone has none).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { expect } from "vitest";
import { parse as parseYaml } from "yaml";

export const SPEC_PATH = join(import.meta.dirname, "../../../../shared/llama-stack-upstream/client-sdks/stainless/openapi.yml");
export const HAVE_SPEC = existsSync(SPEC_PATH);

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
export type Spec = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

export interface SpecValidator {
  spec: Spec;
  /** Asserts `body` matches the 200 response schema of `method route` (`{id:path}` routes map to `{id}`). */
  expectValid(method: string, route: string, body: unknown, contentType?: string): void;
  /** The same check as a value, to show a schema rejects what it should. */
  isValid(method: string, route: string, body: unknown, contentType?: string): boolean;
}

/** OpenAPI 3.0's `nullable: true` as JSON Schema: the schema or null. */
function nullableToAnyOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableToAnyOf);
  if (!node || typeof node !== "object") return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const mapped = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, nullableToAnyOf(v)]));
  return nullable === true ? { anyOf: [mapped, { type: "null" }] } : mapped;
}

/** `{id:path}` in served routes is `{id}` in the spec. */
export function specPath(route: string): string {
  return route.replace(/\{(\w+):path\}/g, "{$1}");
}

export function loadSpecValidator(): SpecValidator {
  const spec = parseYaml(readFileSync(SPEC_PATH, "utf8")) as Spec;
  // OpenAPI keywords (discriminator, example) are not JSON Schema: strict off ignores them.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: "spec", components: nullableToAnyOf(spec.components) });
  const validatorFor = (method: string, route: string, contentType: string): ValidateFunction => {
    const op = spec.paths[specPath(route)]?.[method.toLowerCase()];
    if (!op) throw new Error(`${method} ${route} is not in the spec`);
    const schema = op.responses["200"]?.content?.[contentType]?.schema;
    if (!schema) throw new Error(`${method} ${route} has no 200 ${contentType} schema in the spec`);
    return ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"spec#/components/')) as object);
  };
  return {
    spec,
    isValid: (method, route, body, contentType = "application/json") => validatorFor(method, route, contentType)(body),
    expectValid(method, route, body, contentType = "application/json") {
      const validate = validatorFor(method, route, contentType);
      expect(validate(body), `${method} ${route}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 800)}`).toBe(true);
    },
  };
}
