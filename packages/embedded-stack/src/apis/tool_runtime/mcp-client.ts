/**
 * MCP over HTTP as upstream's tool runtime speaks it: streamable HTTP first, SSE as fallback (the
 * protocol that worked is remembered per endpoint), `Authorization: Bearer <token>` from the request's
 * `authorization`, and a 401 from the server surfaced as 401. The SDK loads on first use only, so
 * stacks without MCP tool groups start faster.
 */
import { HttpError } from "../../server/errors.js";

export interface McpToolInfo {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

export interface McpCallResult {
  content: { type: string; text?: string; data?: string }[];
  isError?: boolean;
}

interface Session {
  listTools(): Promise<{ tools: McpToolInfo[] }>;
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}

type Protocol = "streamable-http" | "sse";

export class McpAuthenticationRequiredError extends HttpError {
  constructor(endpoint: string) {
    super(401, `Authentication required: the MCP server at ${endpoint} answered 401; pass its token as 'authorization'`);
    this.name = "McpAuthenticationRequiredError";
  }
}

export class McpConnectionError extends HttpError {
  constructor(endpoint: string, cause: unknown) {
    super(502, `Failed to connect to MCP server at ${endpoint}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = "McpConnectionError";
  }
}

const protocolCache = new Map<string, Protocol>();

function isUnauthorized(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === 401 || (typeof e?.message === "string" && /\b401\b|unauthorized/i.test(e.message));
}

async function connect(endpoint: string, headers: Record<string, string>, protocol: Protocol, fetchImpl: typeof fetch): Promise<Session> {
  const [{ Client }, transportModule] = await Promise.all([
    import("@modelcontextprotocol/sdk/client/index.js"),
    protocol === "sse" ? import("@modelcontextprotocol/sdk/client/sse.js") : import("@modelcontextprotocol/sdk/client/streamableHttp.js"),
  ]);
  const url = new URL(endpoint);
  const transport =
    "SSEClientTransport" in transportModule
      ? new transportModule.SSEClientTransport(url, {
          requestInit: { headers },
          fetch: fetchImpl,
          // The SSE GET goes through EventSource; it needs the headers too.
          eventSourceInit: { fetch: (input, init) => fetchImpl(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }) },
        })
      : new transportModule.StreamableHTTPClientTransport(url, { requestInit: { headers }, fetch: fetchImpl });
  const client = new Client({ name: "llama-stack", version: "0.4.0" });
  await client.connect(transport);
  return client as unknown as Session;
}

/** `fetchImpl` carries the stack's HTTP client spans (telemetry's instrumentFetch, or plain fetch). */
async function withSession<T>(endpoint: string, headers: Record<string, string>, fetchImpl: typeof fetch, use: (s: Session) => Promise<T>): Promise<T> {
  const order: Protocol[] = protocolCache.get(endpoint) === "sse" ? ["sse", "streamable-http"] : ["streamable-http", "sse"];
  let lastError: unknown;
  for (const protocol of order) {
    let session: Session;
    try {
      session = await connect(endpoint, headers, protocol, fetchImpl);
    } catch (err) {
      if (isUnauthorized(err)) throw new McpAuthenticationRequiredError(endpoint);
      lastError = err;
      continue;
    }
    protocolCache.set(endpoint, protocol);
    try {
      return await use(session);
    } finally {
      await session.close().catch(() => undefined);
    }
  }
  throw new McpConnectionError(endpoint, lastError);
}

export function listMcpTools(endpoint: string, headers: Record<string, string>, fetchImpl: typeof fetch): Promise<McpToolInfo[]> {
  return withSession(endpoint, headers, fetchImpl, async (s) => (await s.listTools()).tools);
}

export function callMcpTool(
  endpoint: string,
  headers: Record<string, string>,
  name: string,
  args: Record<string, unknown>,
  fetchImpl: typeof fetch,
): Promise<McpCallResult> {
  return withSession(endpoint, headers, fetchImpl, async (s) => (await s.callTool({ name, arguments: args })) as McpCallResult);
}
