import { upstreamTest } from "@llama-stack-tests/stack";
import { expect } from "vitest";

import { MCP_URL_PLACEHOLDER, withMcpUrl } from "./cases.js";
import { DEFAULT_TOOL_NAMES, expectToolListing, withMcpServer } from "./mcp.js";
import { COMPAT, CREATE, outputAt, rejection, requireRoutes, responsesClient, TEXT, textModel } from "./responses.js";

const FILE = "tests/integration/responses/test_mcp_authentication.py";
const INPUT = "What is the boiling point of myawesomeliquid?";

upstreamTest({ file: FILE, name: "test_mcp_authorization_bearer", clients: COMPAT, models: TEXT }, async (t) => {
  await requireRoutes(t, CREATE);
  const token = "test-bearer-token-789";
  await withMcpServer({ authToken: token }, async (url) => {
    // The bare token, not "Bearer <token>": the stack adds the scheme.
    const tools = withMcpUrl([{ type: "mcp", server_label: "auth-mcp", server_url: MCP_URL_PLACEHOLDER, authorization: token }], url);
    const response = await responsesClient(t).create({ model: textModel(t), input: INPUT, tools, stream: false });
    // Listing needs the token, so it proves the authorization reached the server.
    expectToolListing(response, "auth-mcp", DEFAULT_TOOL_NAMES);
    if (t.can("tool_calling", "the model calls get_boiling_point, which needs the token too")) {
      expect(response.output.length).toBeGreaterThanOrEqual(3);
      expect(outputAt(response, 1, "mcp_call").error ?? null).toBeNull();
    }
  });
});

upstreamTest({ file: FILE, name: "test_mcp_authorization_error_when_header_provided", clients: COMPAT, models: TEXT }, async (t) => {
  await requireRoutes(t, CREATE);
  const token = "test-token-123";
  await withMcpServer({ authToken: token }, async (url) => {
    const tools = withMcpUrl(
      [{ type: "mcp", server_label: "header-auth-mcp", server_url: MCP_URL_PLACEHOLDER, headers: { Authorization: `Bearer ${token}` } }],
      url,
    );
    const refused = await rejection(responsesClient(t).create({ model: textModel(t), input: INPUT, tools, stream: false }));
    expect(refused.message).toContain("Authorization header cannot be passed via 'headers'");
  });
});

upstreamTest({ file: FILE, name: "test_mcp_authorization_backward_compatibility", clients: COMPAT, models: TEXT }, async (t) => {
  await requireRoutes(t, CREATE);
  await withMcpServer({}, async (url) => {
    const tools = withMcpUrl([{ type: "mcp", server_label: "noauth-mcp", server_url: MCP_URL_PLACEHOLDER }], url);
    const response = await responsesClient(t).create({ model: textModel(t), input: INPUT, tools, stream: false });
    expect(outputAt(response, 0, "mcp_list_tools").server_label).toBe("noauth-mcp");
    if (t.can("tool_calling", "the model calls get_boiling_point")) {
      expect(response.output.length).toBeGreaterThanOrEqual(3);
      expect(outputAt(response, 1, "mcp_call").error ?? null).toBeNull();
    }
  });
});
