import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { toPlainJson, toPythonJson } from "./python-json.js";
import type { McpTestTool, ToolValue } from "./types.js";

/** Server name upstream's test server announces. */
export const SERVER_NAME = "FastMCP Test Server";

function errorResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}

function describe(tool: McpTestTool): Tool {
  const def: Tool = { name: tool.name, description: tool.description, inputSchema: tool.inputSchema as Tool["inputSchema"] };
  if (tool.outputSchema) def.outputSchema = tool.outputSchema as Tool["outputSchema"];
  return def;
}

/** Text content as upstream's server renders a return value (strings verbatim, the rest as indented JSON). */
function textOf(value: ToolValue): string {
  return typeof value === "string" ? value : toPythonJson(value);
}

async function callTool(tool: McpTestTool, args: Record<string, unknown>): Promise<CallToolResult> {
  let value: ToolValue;
  try {
    value = await tool.run(args);
  } catch (error) {
    return errorResult(`Error executing tool ${tool.name}: ${(error as Error).message}`);
  }
  if (!tool.outputSchema) return { content: value === null ? [] : [{ type: "text", text: textOf(value) }] };
  // Primitive results are wrapped as {result}; a None breaks the advertised schema, as upstream reports.
  const expected = (tool.outputSchema.properties as { result: { type: string } }).result.type;
  if (value === null) return errorResult(`Output validation error: None is not of type '${expected}'`);
  return {
    content: [{ type: "text", text: textOf(value) }],
    structuredContent: { result: toPlainJson(value) },
  };
}

/** A fresh MCP protocol server exposing `tools`; one per connected session. */
export function createProtocolServer(tools: readonly McpTestTool[]): Server {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const server = new Server({ name: SERVER_NAME, version: "0.1.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.map(describe) }));
  server.setRequestHandler(CallToolRequestSchema, (request) => {
    const tool = byName.get(request.params.name);
    if (!tool) return errorResult(`Unknown tool: ${request.params.name}`);
    return callTool(tool, request.params.arguments ?? {});
  });
  return server;
}
