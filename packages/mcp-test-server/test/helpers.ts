import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { RunningMcpServer } from "../src/index.js";

/** Connects the SDK's own client over the server's transport, optionally with a bearer token. */
export async function connect(server: RunningMcpServer, token?: string): Promise<Client> {
  const requestInit: RequestInit = token ? { headers: { Authorization: `Bearer ${token}` } } : {};
  const url = new URL(server.url);
  const transport =
    server.transport === "sse"
      ? new SSEClientTransport(url, {
          requestInit,
          // The SSE GET goes through eventSourceInit, which needs the header too.
          eventSourceInit: { fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...(requestInit.headers as Record<string, string>) } }) },
        })
      : new StreamableHTTPClientTransport(url, { requestInit });
  const client = new Client({ name: "mcp-test-server-tests", version: "0.0.0" });
  await client.connect(transport);
  return client;
}

/** The single text block of a tool result. */
export function textOf(result: Awaited<ReturnType<Client["callTool"]>>): string {
  const content = result.content as { type: string; text: string }[];
  if (content.length !== 1 || content[0]!.type !== "text") throw new Error(`expected one text block, got ${JSON.stringify(content)}`);
  return content[0]!.text;
}
