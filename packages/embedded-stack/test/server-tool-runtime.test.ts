import { startMcpServer, type RunningMcpServer } from "@llama-stack-tests/mcp-test-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startHarness, type Harness } from "./server-harness.js";

const TOKEN = "test-token";
let h: Harness;
let sse: RunningMcpServer;
let streamable: RunningMcpServer;

beforeAll(async () => {
  h = await startHarness();
  sse = await startMcpServer({ transport: "sse", authToken: TOKEN });
  streamable = await startMcpServer({ transport: "streamable-http" });
});
afterAll(async () => {
  await h.close();
  await sse.close();
  await streamable.close();
});

async function register(id: string, uri: string): Promise<Response> {
  return postJson(`${h.url}/v1/toolgroups`, { toolgroup_id: id, provider_id: "model-context-protocol", mcp_endpoint: { uri } });
}

describe("MCP tool runtime", () => {
  it("registers an SSE tool group, lists its tools with the bearer token, invokes one", async () => {
    expect((await register("mcp::localmcp", sse.url)).status).toBe(200);
    const group = await (await fetch(`${h.url}/v1/toolgroups/mcp::localmcp`)).json();
    expect(group).toMatchObject({ identifier: "mcp::localmcp", provider_id: "model-context-protocol", type: "tool_group", mcp_endpoint: { uri: sse.url } });

    const unauthorized = await fetch(`${h.url}/v1/tool-runtime/list-tools?tool_group_id=mcp::localmcp`);
    expect(unauthorized.status).toBe(401);

    const listed = (await (await fetch(`${h.url}/v1/tool-runtime/list-tools?tool_group_id=mcp::localmcp&authorization=${TOKEN}`)).json()) as {
      data: { name: string; toolgroup_id: string; metadata: { endpoint: string } }[];
    };
    expect(listed.data.map((t) => t.name).sort()).toEqual([...sse.toolNames].sort());
    expect(listed.data[0]).toMatchObject({ toolgroup_id: "mcp::localmcp", metadata: { endpoint: sse.url } });

    const res = await postJson(`${h.url}/v1/tool-runtime/invoke`, { tool_name: "greet_everyone", kwargs: { url: "https://www.google.com" }, authorization: TOKEN });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ content: [{ type: "text", text: "Hello, world!" }], error_message: null, error_code: 0, metadata: null });
    expect(sse.toolCalls.at(-1)).toEqual({ tool: "greet_everyone", arguments: { url: "https://www.google.com" } });
  });

  it("speaks streamable HTTP too, and lists tools through /v1/tools", async () => {
    await register("mcp::streamable", streamable.url);
    const tools = (await (await fetch(`${h.url}/v1/tools?toolgroup_id=mcp::streamable`)).json()) as { data: { name: string }[] };
    expect(tools.data.map((t) => t.name).sort()).toEqual([...streamable.toolNames].sort());
    const one = (await (await fetch(`${h.url}/v1/tools/${tools.data[0]?.name}`)).json()) as { name: string };
    expect(one.name).toBe(tools.data[0]?.name);
  });

  it("unregisters with 204 and then answers upstream's Tool Group not found", async () => {
    await register("mcp::gone", streamable.url);
    expect((await fetch(`${h.url}/v1/toolgroups/mcp::gone`, { method: "DELETE" })).status).toBe(204);
    for (const url of [`${h.url}/v1/toolgroups/mcp::gone`, `${h.url}/v1/tools?toolgroup_id=mcp::gone`]) {
      const res = await fetch(url);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        detail: "Tool Group 'mcp::gone' not found. Use 'client.toolgroups.list()' to list available Tool Groups.",
      });
    }
  });

  it("rejects an unknown tool and an unknown provider", async () => {
    const tool = await postJson(`${h.url}/v1/tool-runtime/invoke`, { tool_name: "nope", kwargs: {} });
    expect(tool.status).toBe(400);
    expect(await tool.json()).toEqual({ detail: "Invalid value: Tool 'nope' not found" });
    const provider = await postJson(`${h.url}/v1/toolgroups`, { toolgroup_id: "x", provider_id: "ghost", mcp_endpoint: { uri: sse.url } });
    expect(provider.status).toBe(400);
  });
});

describe("default tool groups (upstream's starter)", () => {
  it("registers builtin::websearch on tavily-search with its web_search tool", async () => {
    const group = await (await fetch(`${h.url}/v1/toolgroups/builtin::websearch`)).json();
    expect(group).toMatchObject({ identifier: "builtin::websearch", provider_id: "tavily-search", type: "tool_group", mcp_endpoint: null });
    const tools = (await (await fetch(`${h.url}/v1/tools?toolgroup_id=builtin::websearch`)).json()) as { data: { name: string }[] };
    expect(tools.data.map((t) => t.name)).toEqual(["web_search"]);
  });

  it("fails a web search without an API key, naming the provider-data key to pass", async () => {
    const res = await postJson(`${h.url}/v1/tool-runtime/invoke`, { tool_name: "web_search", kwargs: { query: "llama" } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      detail:
        'Invalid value: Pass Search provider\'s API Key in the header X-LlamaStack-Provider-Data as { "tavily_search_api_key": <your api key>}',
    });
  });

  it("unregisters builtin::websearch", async () => {
    expect((await fetch(`${h.url}/v1/toolgroups/builtin::websearch`, { method: "DELETE" })).status).toBe(204);
    expect((await fetch(`${h.url}/v1/toolgroups/builtin::websearch`)).status).toBe(404);
  });
});
