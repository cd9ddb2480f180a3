export { startMcpServer, SSE_PATH, SSE_MESSAGES_PATH, STREAMABLE_HTTP_PATH } from "./http.js";
export type { StartMcpServerOptions, RunningMcpServer, ToolCallRecord } from "./http.js";
export { McpTestServerError } from "./errors.js";
export { TOOLSETS, type ToolsetName } from "./tools/index.js";
export { defineTool, pyDocstring, ToolArgumentError, type ToolSpec } from "./define-tool.js";
export { argumentsSchema, wrappedOutputSchema, type ParamSpec, type ParamType } from "./schema.js";
export { toPythonJson } from "./python-json.js";
export { PyFloat, type McpTestTool, type McpTransport, type JsonSchema, type ToolValue } from "./types.js";
export { SERVER_NAME } from "./protocol.js";

/** Toolgroup id upstream's MCP tests register the default server under. */
export const MCP_TOOLGROUP_ID = "mcp::localmcp";
