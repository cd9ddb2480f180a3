import type { McpTestTool } from "../types.js";
import { calculatorTools } from "./calculator.js";
import { defaultTools } from "./default.js";
import { dependencyTools } from "./dependency.js";
import { jsonSchemaTools, outputSchemaTools } from "./json-schema.js";

/** Named tool sets, one per MCP server fixture upstream's tests start. */
export const TOOLSETS = {
  /** greet_everyone, get_boiling_point (tool_runtime/test_mcp, responses MCP tests). */
  default: defaultTools,
  /** get_user_id ... get_experiment_results (multi-turn responses tests). */
  dependency: dependencyTools,
  /** book_flight, process_order, flexible_contact (test_mcp_json_schema complex schemas). */
  "json-schema": jsonSchemaTools,
  /** get_weather, calculate (test_mcp_json_schema output schemas). */
  "output-schema": outputSchemaTools,
  /** calculate returning a float (inference/test_tools_with_schemas). */
  calculator: calculatorTools,
} satisfies Record<string, McpTestTool[]>;

export type ToolsetName = keyof typeof TOOLSETS;

export function isToolsetName(name: string): name is ToolsetName {
  return Object.hasOwn(TOOLSETS, name);
}
