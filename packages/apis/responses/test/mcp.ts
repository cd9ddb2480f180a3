/** Upstream's make_mcp_server context manager and the checks its MCP cases repeat. */
import { startMcpServer, type StartMcpServerOptions } from "@llama-stack-tests/mcp-test-server";
import type { UpstreamTestContext } from "@llama-stack-tests/stack";
import type { Response } from "openai/resources/responses/responses";
import { expect } from "vitest";

import { type CreateBody, firstText, outputAt, rejection, type ResponsesClient } from "./responses.js";

/** Runs `fn` with a fresh MCP test server (upstream's `with make_mcp_server(...)`), closing it afterwards. */
export async function withMcpServer<T>(opts: StartMcpServerOptions, fn: (serverUrl: string) => Promise<T>): Promise<T> {
  const server = await startMcpServer(opts);
  try {
    return await fn(server.url);
  } finally {
    await server.close();
  }
}

export const DEFAULT_TOOL_NAMES = ["get_boiling_point", "greet_everyone"];
export const DEPENDENCY_TOOL_NAMES = ["get_user_id", "get_user_permissions", "check_file_access", "get_experiment_id", "get_experiment_results"];

/** output[0] lists the server's tools under `label`. */
export function expectToolListing(response: Response, label: string, names: readonly string[]): void {
  const listing = outputAt(response, 0, "mcp_list_tools");
  expect(listing.server_label).toBe(label);
  expect(listing.tools).toHaveLength(names.length);
  expect(new Set(listing.tools.map((tool) => tool.name))).toEqual(new Set(names));
}

/** output[index] is the get_boiling_point call upstream asks for, answered with -100. */
export function expectBoilingPointCall(response: Response, index: number): void {
  const call = outputAt(response, index, "mcp_call");
  expect(call.name).toBe("get_boiling_point");
  expect(JSON.parse(call.arguments)).toEqual({ liquid_name: "myawesomeliquid", celsius: true });
  expect(call.error ?? null).toBeNull();
  expect(call.output).toContain("-100");
}

/** The last output item is a message that talks about the boiling point. */
export function expectBoilingPointAnswer(response: Response): void {
  expect(firstText(outputAt(response, -1, "message")).toLowerCase()).toContain("boiling point");
}

/**
 * Upstream's full boiling-point check: the listing always (the stack lists before the model runs); the
 * call and the answer when the model calls tools.
 */
export function expectBoilingPointTurn(t: UpstreamTestContext<unknown>, response: Response): void {
  expectToolListing(response, "localmcp", DEFAULT_TOOL_NAMES);
  if (t.can("tool_calling", "the model calls get_boiling_point and answers with its result")) {
    expect(response.output.length).toBeGreaterThanOrEqual(3);
    expectBoilingPointCall(response, 1);
    expectBoilingPointAnswer(response);
  }
}

/** A create the MCP server turns away: upstream expects an authentication error (HTTP 401). */
export async function expectAuthenticationError(client: ResponsesClient, body: CreateBody): Promise<void> {
  const refused = await rejection(client.create(body));
  expect(refused.status, refused.message).toBe(401);
}
