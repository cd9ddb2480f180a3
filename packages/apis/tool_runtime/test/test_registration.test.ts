import { MCP_TOOLGROUP_ID, startMcpServer, type RunningMcpServer } from "@llama-stack-tests/mcp-test-server";
import { upstreamTest } from "@llama-stack-tests/stack";
import { afterAll, beforeAll, expect } from "vitest";

import {
  getToolGroup,
  listToolGroups,
  listTools,
  MCP_PROVIDER_ID,
  registerToolGroup,
  StackHttpError,
  unregisterToolGroup,
} from "./tool-api.js";

// Upstream runs this only with the library client (its server may not reach a local MCP server);
// here the stack and the MCP server share the loopback interface.
let mcp: RunningMcpServer;
beforeAll(async () => {
  mcp = await startMcpServer({ tools: "default" });
});
afterAll(async () => {
  await mcp?.close();
});

const NOT_FOUND = `Tool Group '${MCP_TOOLGROUP_ID}' not found. Use 'client.toolgroups.list()' to list available Tool Groups.`;

upstreamTest(
  { file: "tests/integration/tool_runtime/test_registration.py", name: "test_register_and_unregister_toolgroup" },
  async (t) => {
    for (const group of await listToolGroups(t)) {
      if (group.identifier === MCP_TOOLGROUP_ID) await unregisterToolGroup(t, MCP_TOOLGROUP_ID);
    }

    await registerToolGroup(t, { toolgroup_id: MCP_TOOLGROUP_ID, provider_id: MCP_PROVIDER_ID, mcp_endpoint: { uri: mcp.url } });

    const registered = await getToolGroup(t, MCP_TOOLGROUP_ID);
    expect(registered.identifier).toBe(MCP_TOOLGROUP_ID);
    expect(registered.provider_id).toBe(MCP_PROVIDER_ID);

    const tools = await listTools(t, MCP_TOOLGROUP_ID);
    expect(Array.isArray(tools)).toBe(true);
    expect(tools.length).toBeGreaterThan(0);

    await unregisterToolGroup(t, MCP_TOOLGROUP_ID);

    // Both lookups of the unregistered group fail with ToolGroupNotFoundError: 404 and its message.
    for (const lookup of [() => getToolGroup(t, MCP_TOOLGROUP_ID), () => listTools(t, MCP_TOOLGROUP_ID)]) {
      const error = await lookup().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StackHttpError);
      expect((error as StackHttpError).status).toBe(404);
      expect(String((error as StackHttpError).detail)).toContain(NOT_FOUND);
    }
  },
);
