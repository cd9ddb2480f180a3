import { connect as netConnect } from "node:net";
import { describe, expect, it } from "vitest";
import { McpTestServerError, startMcpServer } from "../src/index.js";
import { connect } from "./helpers.js";

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("lifecycle", () => {
  it.each(["sse", "streamable-http"] as const)("close() releases the port with a %s client still connected", async (transport) => {
    const server = await startMcpServer({ transport });
    const client = await connect(server);
    expect((await client.listTools()).tools).toHaveLength(2);
    await server.close();
    expect(await portIsClosed(server.port)).toBe(true);
    await client.close();
  });

  it("close() is idempotent", async () => {
    const server = await startMcpServer();
    await Promise.all([server.close(), server.close()]);
    await server.close();
    expect(await portIsClosed(server.port)).toBe(true);
  });

  it("two servers get different free ports", async () => {
    const [a, b] = await Promise.all([startMcpServer(), startMcpServer({ tools: "dependency" })]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(b.toolNames).toEqual(["get_user_id", "get_user_permissions", "check_file_access", "get_experiment_id", "get_experiment_results"]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("rejects unknown tool sets and transports with the valid choices", async () => {
    await expect(startMcpServer({ tools: "nope" as never })).rejects.toThrow(McpTestServerError);
    await expect(startMcpServer({ tools: "nope" as never })).rejects.toThrow(/default, dependency, json-schema/);
    await expect(startMcpServer({ transport: "ws" as never })).rejects.toThrow(/"sse" or "streamable-http"/);
  });

  it("answers only its own transport's paths", async () => {
    const sse = await startMcpServer({ transport: "sse" });
    const http = await startMcpServer({ transport: "streamable-http" });
    try {
      // A streamable-HTTP client probing an SSE endpoint gets 405, as from upstream's server.
      expect((await fetch(sse.url, { method: "POST", body: "{}" })).status).toBe(405);
      expect((await fetch(sse.url.replace("/sse", "/mcp"))).status).toBe(404);
      expect((await fetch(http.url.replace("/mcp", "/sse"))).status).toBe(404);
      expect((await fetch(http.url)).status).toBe(400);
      expect((await fetch(http.url, { headers: { "mcp-session-id": "nope" } })).status).toBe(404);
    } finally {
      await Promise.all([sse.close(), http.close()]);
    }
  });

  it("custom tools can be served", async () => {
    const { defineTool } = await import("../src/index.js");
    const echo = defineTool<{ text: string }>({ name: "echo", description: "", params: [{ name: "text", type: "string" }], returns: "string", run: ({ text }) => text });
    const server = await startMcpServer({ tools: [echo], transport: "streamable-http" });
    const client = await connect(server);
    try {
      const result = await client.callTool({ name: "echo", arguments: { text: "hi" } });
      expect(result.content).toEqual([{ type: "text", text: "hi" }]);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
