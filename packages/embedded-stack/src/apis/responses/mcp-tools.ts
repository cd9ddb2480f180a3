/**
 * MCP servers named by a response's tools: their tools listed through the stack's MCP client, calls
 * invoked with the server's headers and bearer token, results shaped as upstream's tool runtime does.
 */
import { InvalidValueError } from "../../server/errors.js";
import type { JsonObject } from "../../server/types.js";
import { callMcpTool, listMcpTools, type McpToolInfo } from "../tool_runtime/mcp-client.js";
import type { McpTool } from "./types.js";

/** One invocation's outcome: content parts (text or image) and an error code, as upstream's ToolInvocationResult. */
export interface McpInvocation {
  content: ({ type: "text"; text: string } | { type: "image"; data: string })[];
  errorCode: number;
}

/** upstream prepare_mcp_headers: the tool's headers plus `Authorization: Bearer <authorization>`. */
export function mcpHeaders(tool: McpTool): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(tool.headers ?? {})) {
    if (key.toLowerCase() === "authorization") {
      throw new InvalidValueError(
        "For security reasons, Authorization header cannot be passed via 'headers'. Please use the 'authorization' parameter instead.",
      );
    }
    headers[key] = String(value);
  }
  if (tool.authorization) headers.Authorization = `Bearer ${tool.authorization}`;
  return headers;
}

export function listServerTools(tool: McpTool, fetchImpl: typeof fetch): Promise<McpToolInfo[]> {
  return listMcpTools(tool.server_url, mcpHeaders(tool), fetchImpl);
}

export async function invokeServerTool(tool: McpTool, name: string, args: JsonObject, fetchImpl: typeof fetch): Promise<McpInvocation> {
  const result = await callMcpTool(tool.server_url, mcpHeaders(tool), name, args, fetchImpl);
  const content = result.content.flatMap((item): McpInvocation["content"] => {
    if (item.type === "text") return [{ type: "text", text: item.text ?? "" }];
    if (item.type === "image") return [{ type: "image", data: item.data ?? "" }];
    return []; // embedded resources: upstream skips them too
  });
  return { content, errorCode: result.isError ? 1 : 0 };
}
