/**
 * Tool groups and tool runtime over raw HTTP: llama-stack-client 0.7.3 has no resources for
 * /v1/toolgroups, /v1/tools or /v1/tool-runtime, so these follow the routes in upstream's OpenAPI spec.
 */
import type { UpstreamTestContext } from "@llama-stack-tests/stack";

export interface ToolDef {
  toolgroup_id?: string | null;
  name: string;
  description?: string | null;
  input_schema?: Record<string, unknown> | null;
  output_schema?: Record<string, unknown> | null;
  metadata?: Record<string, unknown> | null;
}

export interface ToolGroup {
  identifier: string;
  provider_resource_id?: string | null;
  provider_id: string;
  type: "tool_group";
  mcp_endpoint?: { uri: string } | null;
  args?: Record<string, unknown> | null;
}

export type ContentItem = { type: "text"; text: string } | { type: "image"; image: unknown };

export interface ToolInvocationResult {
  content?: string | ContentItem | ContentItem[] | null;
  error_message?: string | null;
  error_code?: number | null;
  metadata?: Record<string, unknown> | null;
}

/** A non-2xx answer from the stack, with its status and the error's `detail`. */
export class StackHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly detail: unknown,
  ) {
    super(`${method} ${path} answered ${status}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
    this.name = "StackHttpError";
  }
}

type Ctx = Pick<UpstreamTestContext<unknown>, "fetch">;

/** Llama Stack wraps errors as {"error": {"detail": ...}}; plain FastAPI errors are {"detail": ...}. */
function errorDetail(body: unknown): unknown {
  if (body === null || typeof body !== "object") return body;
  const envelope = "error" in body && body.error !== null && typeof body.error === "object" ? body.error : body;
  return "detail" in envelope ? envelope.detail : body;
}

async function call<T>(t: Ctx, method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit =
    body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } };
  const response = await t.fetch(path, init);
  const text = await response.text();
  const parsed: unknown = text === "" ? null : JSON.parse(text);
  if (!response.ok) {
    throw new StackHttpError(method, path, response.status, errorDetail(parsed));
  }
  return parsed as T;
}

function query(params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  return entries.length === 0 ? "" : `?${new URLSearchParams(entries).toString()}`;
}

const seg = encodeURIComponent;

export function registerToolGroup(
  t: Ctx,
  body: { toolgroup_id: string; provider_id: string; mcp_endpoint?: { uri: string }; args?: Record<string, unknown> },
): Promise<null> {
  return call(t, "POST", "/v1/toolgroups", body);
}

export function unregisterToolGroup(t: Ctx, toolgroupId: string): Promise<null> {
  return call(t, "DELETE", `/v1/toolgroups/${seg(toolgroupId)}`);
}

/** Unregisters when present; upstream's tests clear leftovers this way and ignore every error. */
export async function unregisterToolGroupQuietly(t: Ctx, toolgroupId: string): Promise<void> {
  await unregisterToolGroup(t, toolgroupId).catch(() => undefined);
}

export function getToolGroup(t: Ctx, toolgroupId: string): Promise<ToolGroup> {
  return call(t, "GET", `/v1/toolgroups/${seg(toolgroupId)}`);
}

export async function listToolGroups(t: Ctx): Promise<ToolGroup[]> {
  return (await call<{ data: ToolGroup[] }>(t, "GET", "/v1/toolgroups")).data;
}

export async function listTools(t: Ctx, toolgroupId?: string): Promise<ToolDef[]> {
  return (await call<{ data: ToolDef[] }>(t, "GET", `/v1/tools${query({ toolgroup_id: toolgroupId })}`)).data;
}

export async function listRuntimeTools(
  t: Ctx,
  opts: { toolGroupId?: string; authorization?: string } = {},
): Promise<ToolDef[]> {
  const path = `/v1/tool-runtime/list-tools${query({ tool_group_id: opts.toolGroupId, authorization: opts.authorization })}`;
  return (await call<{ data: ToolDef[] }>(t, "GET", path)).data;
}

export function invokeTool(
  t: Ctx,
  body: { tool_name: string; kwargs: Record<string, unknown>; authorization?: string },
): Promise<ToolInvocationResult> {
  return call(t, "POST", "/v1/tool-runtime/invoke", body);
}

export const MCP_PROVIDER_ID = "model-context-protocol";
