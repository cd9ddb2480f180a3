/**
 * Built-in tools (web_search, file_search) the stack may not serve yet: it refuses such a tool type
 * before any inference, and the case then skips naming the refusal instead of failing.
 */
import type { UpstreamTestContext } from "@llama-stack-tests/stack";
import type { Response, ResponseStreamEvent } from "openai/resources/responses/responses";

import type { CreateBody, ResponsesClient } from "./responses.js";

type Ctx = Pick<UpstreamTestContext<unknown>, "skip">;

/** Skips when `error` is the stack's refusal of `toolType`; returns otherwise so the caller rethrows. */
function skipWhenRefused(t: Ctx, error: unknown, toolType: string): void {
  const status = (error as { status?: unknown }).status;
  const message = String((error as Error).message);
  if ((status === 400 || status === 501) && message.includes(`tool type: ${toolType}`)) {
    t.skip(`stack does not serve ${toolType} tools yet (it answers ${status}: ${message.slice(0, 200)})`);
  }
}

export async function createWithBuiltinTool(t: Ctx, client: ResponsesClient, body: CreateBody, toolType: string): Promise<Response> {
  try {
    return await client.create(body);
  } catch (error) {
    skipWhenRefused(t, error, toolType);
    throw error;
  }
}

export async function streamWithBuiltinTool(t: Ctx, client: ResponsesClient, body: CreateBody, toolType: string): Promise<ResponseStreamEvent[]> {
  try {
    return await client.stream(body);
  } catch (error) {
    skipWhenRefused(t, error, toolType);
    throw error;
  }
}
