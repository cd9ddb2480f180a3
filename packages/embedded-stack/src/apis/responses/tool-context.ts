/**
 * Which tools a response must set up (upstream's ToolContext): MCP servers whose listing the
 * previous response already holds, with the same allowed tools, are reused instead of listed again.
 */
import type { JsonObject } from "../../server/types.js";
import type { ChatTool, InputTool, McpListToolsItem, McpTool, ResponseObject, ResponseTool } from "./types.js";

export class ToolContext {
  /** Tools still to list or convert for this response. */
  toProcess: InputTool[];
  /** mcp_list_tools items of the previous response that stay valid. */
  previousListings: McpListToolsItem[] = [];
  /** Tool name -> MCP server, for tools listed by a previous response. */
  readonly previousTools = new Map<string, McpTool>();

  constructor(readonly current: InputTool[]) {
    this.toProcess = current;
  }

  recoverFromPrevious(previous: ResponseObject): void {
    if (this.current.length === 0 || !previous.tools) return;
    const previousMcp = new Map<string, ResponseTool & { type: "mcp" }>();
    for (const tool of previous.tools) if (tool.type === "mcp") previousMcp.set(tool.server_label, tool);
    const matched = new Map<string, McpTool>();
    this.toProcess = [];
    for (const tool of this.current) {
      const before = tool.type === "mcp" ? previousMcp.get(tool.server_label) : undefined;
      if (tool.type === "mcp" && before && JSON.stringify(before.allowed_tools) === JSON.stringify(tool.allowed_tools)) {
        matched.set(tool.server_label, tool);
      } else {
        this.toProcess.push(tool);
      }
    }
    this.previousListings = previous.output.filter(
      (item): item is McpListToolsItem => item.type === "mcp_list_tools" && matched.has(item.server_label),
    );
    for (const listing of this.previousListings) {
      const server = matched.get(listing.server_label) as McpTool;
      for (const tool of listing.tools) this.previousTools.set(tool.name, server);
    }
  }

  /** The tools a response object reports: MCP servers without URL, headers or token. */
  available(): ResponseTool[] {
    return this.current.map((tool) =>
      tool.type === "mcp" ? { type: "mcp", server_label: tool.server_label, allowed_tools: tool.allowed_tools } : tool,
    );
  }
}

/** upstream convert_tooldef_to_openai_tool: description and parameters only when non-empty. */
export function chatToolFromDefinition(name: string, description: string | null | undefined, inputSchema: JsonObject | null | undefined): ChatTool {
  const fn: JsonObject = { name };
  if (description) fn.description = description;
  if (inputSchema && Object.keys(inputSchema).length > 0) fn.parameters = inputSchema;
  return { type: "function", function: fn };
}
