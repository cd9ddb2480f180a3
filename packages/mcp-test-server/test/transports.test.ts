import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMcpServer, type McpTransport, type RunningMcpServer } from "../src/index.js";
import { connect, textOf } from "./helpers.js";

const TOKEN = "test-token";

describe.each<McpTransport>(["sse", "streamable-http"])("%s transport", (transport) => {
  let server: RunningMcpServer;
  let client: Client;

  beforeAll(async () => {
    server = await startMcpServer({ transport });
    client = await connect(server);
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it("serves on loopback at the transport's path", () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/${transport === "sse" ? "sse" : "mcp"}$`));
    expect(server.port).toBeGreaterThan(0);
  });

  it("announces upstream's server name", () => {
    expect(client.getServerVersion()?.name).toBe("FastMCP Test Server");
  });

  it("lists the default tools", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(["greet_everyone", "get_boiling_point"]);
  });

  it("calls greet_everyone", async () => {
    const result = await client.callTool({ name: "greet_everyone", arguments: { url: "https://www.google.com" } });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe("Hello, world!");
    expect(result.structuredContent).toEqual({ result: "Hello, world!" });
  });

  it("answers get_boiling_point exactly", async () => {
    const call = (args: Record<string, unknown>) => client.callTool({ name: "get_boiling_point", arguments: args });
    expect(textOf(await call({ liquid_name: "myawesomeliquid" }))).toBe("-100");
    expect(textOf(await call({ liquid_name: "MyAwesomeLiquid", celsius: true }))).toBe("-100");
    expect(textOf(await call({ liquid_name: "myawesomeliquid", celsius: false }))).toBe("-212");
    expect(textOf(await call({ liquid_name: "water" }))).toBe("-1");
    expect((await call({ liquid_name: "myawesomeliquid" })).structuredContent).toEqual({ result: -100 });
  });

  it("records tool calls", () => {
    expect(server.toolCalls[0]).toEqual({ tool: "greet_everyone", arguments: { url: "https://www.google.com" } });
  });

  it("reports bad arguments and unknown tools as tool errors", async () => {
    const bad = await client.callTool({ name: "get_boiling_point", arguments: {} });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/^Error executing tool get_boiling_point: .*liquid_name: field required/);
    const unknown = await client.callTool({ name: "nope", arguments: {} });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toBe("Unknown tool: nope");
  });

  it("serves several clients at once", async () => {
    const second = await connect(server);
    try {
      expect((await second.listTools()).tools).toHaveLength(2);
    } finally {
      await second.close();
    }
  });
});

describe.each<McpTransport>(["sse", "streamable-http"])("bearer auth over %s", (transport) => {
  let server: RunningMcpServer;
  beforeAll(async () => {
    server = await startMcpServer({ transport, authToken: TOKEN });
  });
  afterAll(() => server.close());

  const init = (headers: Record<string, string>): RequestInit =>
    transport === "sse"
      ? { headers }
      : {
          method: "POST",
          headers: { ...headers, "content-type": "application/json", accept: "application/json, text/event-stream" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "0" } } }),
        };

  it("rejects a missing token with 401", async () => {
    const res = await fetch(server.url, init({}));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: "Unauthorized" });
  });

  it("rejects a wrong token with 401", async () => {
    const res = await fetch(server.url, init({ Authorization: "Bearer wrong" }));
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  it("rejects a token without the Bearer scheme", async () => {
    const res = await fetch(server.url, init({ Authorization: TOKEN }));
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  it("lets the SDK client in with the right token", async () => {
    const client = await connect(server, TOKEN);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain("get_boiling_point");
      expect(textOf(await client.callTool({ name: "greet_everyone", arguments: { url: "x" } }))).toBe("Hello, world!");
    } finally {
      await client.close();
    }
  });

  it("fails the SDK client without the token", async () => {
    await expect(connect(server)).rejects.toThrow();
  });
});
