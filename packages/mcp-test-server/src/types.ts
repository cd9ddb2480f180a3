/** A JSON Schema object as MCP carries it (inputSchema / outputSchema). */
export type JsonSchema = { [key: string]: unknown };

/** What a tool returns; `PyFloat` marks values Python would hold as `float`. */
export type ToolValue = string | number | boolean | null | PyFloat | ToolValue[] | { [key: string]: ToolValue };

/**
 * A Python `float` value. Kept distinct from integers because upstream's server
 * (FastMCP + pydantic) prints `8.0`, not `8`, and tool outputs land in prompts.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** One MCP tool: its advertised definition plus the behaviour behind it. */
export interface McpTestTool {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  /** Present only where upstream's server advertises one (primitive return types). */
  outputSchema?: JsonSchema;
  /** Runs the tool with already-validated arguments. */
  run(args: Record<string, unknown>): ToolValue | Promise<ToolValue>;
}

export type McpTransport = "sse" | "streamable-http";
