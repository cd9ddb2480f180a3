import { upstreamTest } from "@llama-stack-tests/stack";
import { expect } from "vitest";

import { invokeTool, listRuntimeTools } from "./tool-api.js";

const file = "tests/integration/tool_runtime/test_builtin_tools.py";
const SEARCH_QUERY = "What are the latest developments in quantum computing?";
const WOLFRAM_QUERY = "What is the square root of 16?";

upstreamTest({ file, name: "test_web_search_tool" }, async (t) => {
  // The harness forwards the key from the environment in provider data, as upstream's client does.
  if (!process.env["TAVILY_SEARCH_API_KEY"]) return t.skip("TAVILY_SEARCH_API_KEY not set, skipping test");

  const tools = await listRuntimeTools(t);
  expect(tools.some((tool) => tool.name === "web_search")).toBe(true);

  const response = await invokeTool(t, { tool_name: "web_search", kwargs: { query: SEARCH_QUERY } });
  expect(typeof response.content).toBe("string");
  expect((response.content as string).length).toBeGreaterThan(0);
  const content = JSON.parse(response.content as string) as { query?: unknown; top_k?: Array<Record<string, unknown>> };
  expect(content).toHaveProperty("query");
  expect(content).toHaveProperty("top_k");
  expect(content.top_k?.length).toBeGreaterThan(0);
  expect(content.top_k?.[0]).toHaveProperty("title");
  expect(content.top_k?.[0]).toHaveProperty("url");
});

upstreamTest({ file, name: "test_wolfram_alpha_tool" }, async (t) => {
  if (!process.env["WOLFRAM_ALPHA_API_KEY"]) return t.skip("WOLFRAM_ALPHA_API_KEY not set, skipping test");

  const tools = await listRuntimeTools(t);
  expect(tools.some((tool) => tool.name === "wolfram_alpha")).toBe(true);

  const response = await invokeTool(t, { tool_name: "wolfram_alpha", kwargs: { query: WOLFRAM_QUERY } });
  expect(typeof response.content).toBe("string");
  expect((response.content as string).length).toBeGreaterThan(0);
  const result = (JSON.parse(response.content as string) as { queryresult: Record<string, unknown> }).queryresult;
  expect(result).toHaveProperty("success");
  expect(result["success"]).toBeTruthy();
  expect(result).toHaveProperty("pods");
  expect((result["pods"] as unknown[]).length).toBeGreaterThan(0);
});
