import { argumentsSchema, validateArguments, wrappedOutputSchema, type ParamSpec } from "./schema.js";
import type { McpTestTool, ToolValue } from "./types.js";

/** Thrown for arguments that do not fit a tool's parameters; becomes an `isError` result. */
export class ToolArgumentError extends Error {
  override name = "ToolArgumentError";
}

/** Indentation of a docstring inside a nested Python function, kept verbatim by `__doc__`. */
const DOC_INDENT = " ".repeat(8);

/**
 * Renders a description the way upstream's server reports a nested function's
 * docstring: leading newline, every non-empty line indented, trailing indent.
 */
export function pyDocstring(text: string): string {
  const body = text
    .split("\n")
    .map((line) => (line ? DOC_INDENT + line : line))
    .join("\n");
  return `\n${body}\n${DOC_INDENT}`;
}

export interface ToolSpec<A extends Record<string, unknown>> {
  name: string;
  /** Empty string where upstream's function has no docstring. */
  description: string;
  params: ParamSpec[];
  /** Primitive return types get a wrapped output schema; `object` (a bare dict) gets none. */
  returns: "string" | "integer" | "number" | "object";
  run(args: A): ToolValue | Promise<ToolValue>;
}

export function defineTool<A extends Record<string, unknown>>(spec: ToolSpec<A>): McpTestTool {
  const tool: McpTestTool = {
    name: spec.name,
    description: spec.description,
    inputSchema: argumentsSchema(spec.name, spec.params),
    run(args) {
      const { values, problems } = validateArguments(spec.params, args);
      if (problems.length > 0) {
        throw new ToolArgumentError(`invalid arguments for ${spec.name}: ${problems.join("; ")}`);
      }
      return spec.run(values as A);
    },
  };
  if (spec.returns !== "object") tool.outputSchema = wrappedOutputSchema(spec.name, spec.returns);
  return tool;
}
