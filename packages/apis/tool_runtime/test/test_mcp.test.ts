import { MCP_TOOLGROUP_ID, startMcpServer, type RunningMcpServer } from "@llama-stack-tests/mcp-test-server";
import { upstreamTest } from "@llama-stack-tests/stack";
import type { Response, ResponseStreamEvent, Tool } from "openai/resources/responses/responses";
import { afterAll, beforeAll, expect } from "vitest";

import { invokeTool, listRuntimeTools, MCP_PROVIDER_ID, registerToolGroup, unregisterToolGroupQuietly } from "./tool-api.js";

const AUTH_TOKEN = "test-token";

/** Text of the response's output messages (streamed responses carry no SDK-computed output_text). */
function outputText(response: Response): string {
  return response.output
    .flatMap((item) => (item.type === "message" ? item.content : []))
    .map((part) => (part.type === "output_text" ? part.text : ""))
    .join("");
}

let mcp: RunningMcpServer;
beforeAll(async () => {
  mcp = await startMcpServer({ tools: "default", authToken: AUTH_TOKEN });
});
afterAll(async () => {
  await mcp?.close();
});

upstreamTest(
  { file: "tests/integration/tool_runtime/test_mcp.py", name: "test_mcp_invocation", models: ["text_model_id"] },
  async (t) => {
    const textModel = t.models.text;
    if (textModel === undefined) return t.skip("text_model_id empty - skipping test");

    // Registering must succeed without an auth token; tools are listed and invoked with one.
    await unregisterToolGroupQuietly(t, MCP_TOOLGROUP_ID);
    await registerToolGroup(t, { toolgroup_id: MCP_TOOLGROUP_ID, provider_id: MCP_PROVIDER_ID, mcp_endpoint: { uri: mcp.url } });

    const toolsList = await listRuntimeTools(t, { toolGroupId: MCP_TOOLGROUP_ID, authorization: AUTH_TOKEN });
    expect(toolsList).toHaveLength(2);
    expect(new Set(toolsList.map((tool) => tool.name))).toEqual(new Set(["greet_everyone", "get_boiling_point"]));

    const result = await invokeTool(t, {
      tool_name: "greet_everyone",
      kwargs: { url: "https://www.google.com" },
      authorization: AUTH_TOKEN,
    });
    const content = result.content;
    expect(Array.isArray(content)).toBe(true);
    expect(content).toHaveLength(1);
    expect(content).toEqual([{ type: "text", text: "Hello, world!" }]);
    expect(mcp.toolCalls.map((c) => c.tool)).toContain("greet_everyone");

    if (!(await t.hasRoute("POST", "/v1/responses")) && !(await t.servesApiOf("/v1/responses"))) {
      return t.skip("stack does not configure the Responses API (no route of it in /v1/inspect/routes): the agent turn needs it");
    }

    // Upstream drives this turn through the Python SDK's Agent: a conversation as the session and a
    // streamed response with the MCP server as a tool.
    const tools = [
      {
        type: "mcp",
        server_url: mcp.url,
        server_label: MCP_TOOLGROUP_ID,
        require_approval: "never",
        allowed_tools: toolsList.map((tool) => tool.name),
        authorization: AUTH_TOKEN,
      },
    ] satisfies Tool[];
    const session = await t.openai.conversations.create({ metadata: { name: "test-session" } });
    const stream = await t.openai.responses.create({
      model: textModel,
      instructions: "You are a helpful assistant.",
      conversation: session.id,
      input: [
        {
          type: "message",
          role: "user",
          content: [{ type: "input_text", text: "Say hi to the world. Use tools to do so." }],
        },
      ],
      tools,
      stream: true,
    });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);

    // A model that runs into the token limit ends the stream with response.incomplete (upstream's server
    // does the same), so "completed" is asked of the setup's answer quality.
    const last = events.at(-1);
    if (last?.type !== "response.completed" && last?.type !== "response.incomplete") {
      throw new Error(`expected the stream to end with response.completed, got ${last ? JSON.stringify(last) : "no events"}`);
    }
    if (t.can("answer_quality", "the model ends its answer before the token limit, so the stream ends with response.completed")) {
      expect(last.type).toBe("response.completed");
    }
    const finalResponse = last.response;
    expect(finalResponse.object).toBe("response");
    expect(finalResponse.model).toBe(textModel);

    const issuedCalls = events.flatMap((e) =>
      e.type === "response.output_item.added" && (e.item.type === "mcp_call" || e.item.type === "function_call")
        ? [e.item]
        : [],
    );
    const executed = events.flatMap((e) =>
      e.type === "response.output_item.done" && e.item.type === "mcp_call" ? [e.item] : [],
    );
    if (t.can("tool_calling", "the model calls greet_everyone when asked to say hi with tools")) {
      expect(issuedCalls.length).toBeGreaterThan(0);
      expect(issuedCalls.at(-1)?.name).toBe("greet_everyone");
      expect(executed.length).toBeGreaterThan(0);
      expect(executed.at(-1)?.name).toBe("greet_everyone");
    }
    if (t.can("answer_quality", "final answer says hello")) {
      expect(outputText(finalResponse).toLowerCase()).toContain("hello");
    }
  },
);
