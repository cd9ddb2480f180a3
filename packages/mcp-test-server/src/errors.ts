/** Misuse of the test MCP server (bad options, failed start); the message names the fix. */
export class McpTestServerError extends Error {
  override name = "McpTestServerError";
}
