import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server as ProtocolServer } from "@modelcontextprotocol/sdk/server/index.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { McpTestServerError } from "./errors.js";
import { createProtocolServer } from "./protocol.js";
import { isToolsetName, TOOLSETS, type ToolsetName } from "./tools/index.js";
import type { McpTestTool, McpTransport } from "./types.js";

/** Paths the server answers on, per transport (SSE mirrors upstream's `/sse` + `/messages/`). */
export const SSE_PATH = "/sse";
export const SSE_MESSAGES_PATH = "/messages/";
export const STREAMABLE_HTTP_PATH = "/mcp";

export interface StartMcpServerOptions {
  /** A named tool set (default `"default"`) or your own tools. */
  tools?: ToolsetName | readonly McpTestTool[];
  /** Default `"sse"`, like upstream's test server. */
  transport?: McpTransport;
  /** When set, every request needs `Authorization: Bearer <authToken>`; others get 401. */
  authToken?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
}

export interface ToolCallRecord {
  tool: string;
  arguments: Record<string, unknown>;
}

export interface RunningMcpServer {
  /** The MCP endpoint to register: `.../sse` or `.../mcp`. */
  url: string;
  port: number;
  transport: McpTransport;
  /** Names of the served tools, in listing order. */
  toolNames: string[];
  /** Every tools/call received, in order, so tests can prove the stack reached the server. */
  toolCalls: ToolCallRecord[];
  /** Closes all sessions and open connections; resolves when the port is released. */
  close(): Promise<void>;
}

function resolveTools(tools: StartMcpServerOptions["tools"]): readonly McpTestTool[] {
  if (tools === undefined) return TOOLSETS.default;
  if (typeof tools !== "string") return tools;
  if (!isToolsetName(tools)) {
    throw new McpTestServerError(`unknown MCP tool set "${tools}"; use one of: ${Object.keys(TOOLSETS).join(", ")}`);
  }
  return TOOLSETS[tools];
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

function jsonRpcError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { jsonrpc: "2.0", error: { code: -32000, message }, id: null });
}

/** Upstream compares the second word of `Authorization` with the token. */
function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith("Bearer ") ? header.split(" ")[1] : undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

/** Records tool calls as they pass through, without touching their handling. */
function recordingTools(tools: readonly McpTestTool[], calls: ToolCallRecord[]): McpTestTool[] {
  return tools.map((tool) => ({
    ...tool,
    run: (args) => {
      calls.push({ tool: tool.name, arguments: args });
      return tool.run(args);
    },
  }));
}

/** Starts an MCP server on loopback for one test file; call `close()` in afterAll. */
export async function startMcpServer(options: StartMcpServerOptions = {}): Promise<RunningMcpServer> {
  const transport = options.transport ?? "sse";
  if (transport !== "sse" && transport !== "streamable-http") {
    throw new McpTestServerError(`unknown MCP transport "${String(transport)}"; use "sse" or "streamable-http"`);
  }
  const toolCalls: ToolCallRecord[] = [];
  const tools = recordingTools(resolveTools(options.tools), toolCalls);
  const sseSessions = new Map<string, SSEServerTransport>();
  const httpSessions = new Map<string, StreamableHTTPServerTransport>();
  const protocolServers = new Set<ProtocolServer>();

  function newProtocolServer(): ProtocolServer {
    const server = createProtocolServer(tools);
    protocolServers.add(server);
    server.onclose = () => protocolServers.delete(server);
    return server;
  }

  async function handleSse(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === SSE_PATH) {
      if (req.method !== "GET") return sendJson(res, 405, { detail: "Method Not Allowed" }, { allow: "GET" });
      const sse = new SSEServerTransport(SSE_MESSAGES_PATH, res);
      sseSessions.set(sse.sessionId, sse);
      sse.onclose = () => sseSessions.delete(sse.sessionId);
      await newProtocolServer().connect(sse);
      return;
    }
    if (url.pathname === SSE_MESSAGES_PATH && req.method === "POST") {
      const sessionId = url.searchParams.get("sessionId");
      const sse = sessionId ? sseSessions.get(sessionId) : undefined;
      if (!sse) return sendJson(res, 404, { detail: "Could not find session" });
      return sse.handlePostMessage(req, res);
    }
    sendJson(res, 404, { detail: "Not Found" });
  }

  async function handleStreamableHttp(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname !== STREAMABLE_HTTP_PATH) return sendJson(res, 404, { detail: "Not Found" });
    const sessionHeader = req.headers["mcp-session-id"];
    const sessionId = Array.isArray(sessionHeader) ? sessionHeader[0] : sessionHeader;
    const existing = sessionId ? httpSessions.get(sessionId) : undefined;
    if (existing) return existing.handleRequest(req, res);
    if (sessionId) return jsonRpcError(res, 404, "Session not found");
    if (req.method !== "POST") return jsonRpcError(res, 400, "Bad Request: No valid session ID provided");
    let body: unknown;
    try {
      body = await readJson(req);
    } catch {
      return sendJson(res, 400, { jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null });
    }
    if (!isInitializeRequest(body)) return jsonRpcError(res, 400, "Bad Request: No valid session ID provided");
    const http = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void httpSessions.set(id, http),
    });
    http.onclose = () => {
      if (http.sessionId) httpSessions.delete(http.sessionId);
    };
    await newProtocolServer().connect(http);
    await http.handleRequest(req, res, body);
  }

  const httpServer: HttpServer = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (options.authToken !== undefined && bearerToken(req) !== options.authToken) {
      return sendJson(res, 401, { detail: "Unauthorized" }, { "www-authenticate": "Bearer" });
    }
    const handle = transport === "sse" ? handleSse : handleStreamableHttp;
    handle(req, res, url).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { detail: `MCP test server error: ${(error as Error).message}` });
      else res.end();
    });
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", (error) =>
      reject(new McpTestServerError(`cannot listen on ${host}:${options.port ?? 0}: ${error.message}; pick another port or leave it 0`)),
    );
    httpServer.listen(options.port ?? 0, host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const path = transport === "sse" ? SSE_PATH : STREAMABLE_HTTP_PATH;

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // Open SSE streams would hold the port forever; end them before dropping sockets.
      await Promise.allSettled([...protocolServers].map((server) => server.close()));
      httpServer.closeAllConnections();
      await closed;
    })();
    return closing;
  }

  return { url: `http://${host}:${port}${path}`, port, transport, toolNames: tools.map((t) => t.name), toolCalls, close };
}
