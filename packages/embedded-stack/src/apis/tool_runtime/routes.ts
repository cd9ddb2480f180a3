/** Tool groups, tools and the MCP tool runtime: list a group's tools from its server, invoke a tool. */
import { z } from "zod";
import { currentRequestContext, stackBoundFetch } from "../../context/request-context.js";
import { InvalidValueError } from "../../server/errors.js";
import { route } from "../../server/route.js";
import type { RouteModule } from "../../server/types.js";
import { parseBody, parseQuery } from "../../server/validation.js";
import type { StackTelemetry } from "../../telemetry/index.js";
import { callMcpTool, listMcpTools } from "./mcp-client.js";
import type { ToolDef, ToolGroup, ToolGroupRegistry } from "./registry.js";
import { invokeWebSearch, TAVILY_PROVIDER_TYPE, webSearchTools } from "./web-search.js";

const registerRequest = z.object({
  toolgroup_id: z.string(),
  provider_id: z.string(),
  mcp_endpoint: z.object({ uri: z.string() }).nullish(),
  args: z.record(z.unknown()).nullish(),
});
const listToolsQuery = z.object({ toolgroup_id: z.string().optional() });
const runtimeListQuery = z.object({ tool_group_id: z.string().optional(), authorization: z.string().optional() }).passthrough();
const invokeRequest = z.object({ tool_name: z.string(), kwargs: z.record(z.unknown()), authorization: z.string().nullish() });

function canonical(uri: string): string {
  try {
    const u = new URL(uri);
    return `${u.host}/${u.pathname}`;
  } catch {
    return uri;
  }
}

/** Headers for an MCP server: `mcp_headers` from provider data for that URI, plus the bearer token. */
function mcpHeaders(endpoint: string, authorization: string | null | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  const byUri = currentRequestContext()?.providerData.mcp_headers;
  if (byUri && typeof byUri === "object") {
    for (const [uri, values] of Object.entries(byUri as Record<string, Record<string, string>>)) {
      if (canonical(uri) !== canonical(endpoint)) continue;
      for (const [key, value] of Object.entries(values ?? {})) {
        if (key.toLowerCase() === "authorization") {
          throw new InvalidValueError(
            "Authorization cannot be provided via mcp_headers in provider_data. Please use the dedicated 'authorization' parameter instead.",
          );
        }
        headers[key] = String(value);
      }
    }
  }
  if (authorization) headers.Authorization = `Bearer ${authorization}`;
  return headers;
}

export function toolRuntimeRoutes(groups: ToolGroupRegistry, telemetry: StackTelemetry): RouteModule {
  // MCP requests carry HTTP client spans when telemetry is on, as httpx's do on the real server.
  const mcpFetch = telemetry.instrumentFetch(stackBoundFetch);
  const toolsOf = async (group: ToolGroup, authorization?: string | null): Promise<ToolDef[]> => {
    const cached = groups.cachedTools(group.identifier);
    if (cached) return cached;
    if (groups.provider(group.provider_id)?.provider_type === TAVILY_PROVIDER_TYPE) {
      const tools = webSearchTools(group.identifier);
      groups.cacheTools(group.identifier, tools);
      return tools;
    }
    const endpoint = group.mcp_endpoint?.uri;
    if (!endpoint) throw new InvalidValueError("mcp_endpoint is required");
    const listed = await listMcpTools(endpoint, mcpHeaders(endpoint, authorization), mcpFetch);
    const tools = listed.map((t) => ({
      toolgroup_id: group.identifier,
      name: t.name,
      description: t.description ?? null,
      input_schema: t.inputSchema ?? null,
      output_schema: t.outputSchema ?? null,
      metadata: { endpoint },
    }));
    groups.cacheTools(group.identifier, tools);
    return tools;
  };

  /** One group (a `group/tool` pair names its group) or all; groups that fail to list are skipped, as upstream. */
  const listTools = async (groupId: string | undefined, authorization?: string | null): Promise<ToolDef[]> => {
    const pairGroup = groupId?.split("/").length === 2 ? groupId.split("/")[0] : undefined;
    const selected = groupId ? [groups.get(pairGroup ?? groupId)] : groups.list();
    const out: ToolDef[] = [];
    for (const group of selected) {
      try {
        out.push(...(await toolsOf(group, authorization)));
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 401 || groupId) throw err;
      }
    }
    return out;
  };

  return (app) => {
    route(app, "GET", "/v1/toolgroups", () => ({ data: groups.list() }));
    route(app, "GET", "/v1/toolgroups/{toolgroup_id:path}", (_req, _reply, params) => groups.get(params.toolgroup_id ?? ""));
    route(app, "POST", "/v1/toolgroups", (req) => {
      groups.register(parseBody(registerRequest, req.body));
      return null;
    }, { deprecated: true });
    route(app, "DELETE", "/v1/toolgroups/{toolgroup_id:path}", (_req, _reply, params) => {
      groups.unregister(params.toolgroup_id ?? "");
    }, { deprecated: true });
    route(app, "GET", "/v1/tools", async (req) => ({ data: await listTools(parseQuery(listToolsQuery, req.query).toolgroup_id) }));
    route(app, "GET", "/v1/tools/{tool_name:path}", (_req, _reply, params) => groups.tool(params.tool_name ?? ""));
    route(app, "GET", "/v1/tool-runtime/list-tools", async (req) => {
      const query = parseQuery(runtimeListQuery, req.query);
      return { data: await listTools(query.tool_group_id, query.authorization) };
    });
    route(app, "POST", "/v1/tool-runtime/invoke", async (req) => {
      const body = parseBody(invokeRequest, req.body);
      // Like upstream's routing table, a tool not listed yet is looked up by listing every group.
      if (!groups.cachedTool(body.tool_name)) await listTools(undefined);
      const tool = groups.tool(body.tool_name);
      const provider = tool.toolgroup_id ? groups.provider(groups.get(tool.toolgroup_id).provider_id) : undefined;
      if (provider?.provider_type === TAVILY_PROVIDER_TYPE) {
        return invokeWebSearch(provider.config, body.kwargs);
      }
      const endpoint = tool.metadata?.endpoint;
      if (typeof endpoint !== "string") throw new InvalidValueError(`Tool ${body.tool_name} does not have metadata`);
      if (!/^https?:$/.test(new URL(endpoint).protocol)) throw new InvalidValueError(`Endpoint ${endpoint} is not a valid HTTP(S) URL`);
      const result = await callMcpTool(endpoint, mcpHeaders(endpoint, body.authorization), body.tool_name, body.kwargs, mcpFetch);
      return {
        content: result.content.flatMap((item): Record<string, unknown>[] => {
          if (item.type === "text") return [{ type: "text", text: item.text ?? "" }];
          if (item.type === "image") return [{ type: "image", image: { url: null, data: item.data ?? "" } }];
          return []; // embedded resources are not supported upstream either
        }),
        error_message: null,
        error_code: result.isError ? 1 : 0,
        metadata: null,
      };
    });
  };
}
