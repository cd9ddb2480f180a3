import type { IncomingHttpHeaders } from "node:http";
import { startLoopbackJsonServer } from "./loopback-json-server.js";

/**
 * Test double of an OpenAI-compatible model provider (stands in for the llama-cpp model server):
 * canned chat, completion and embedding responses, and a log of what the stack sent.
 */
export interface ProviderDouble {
  url: string;
  requests: Array<{ path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export const DOUBLE_MODEL = "tiny-llama";

export async function startProviderDouble(): Promise<ProviderDouble> {
  const requests: ProviderDouble["requests"] = [];
  const server = await startLoopbackJsonServer(({ path, headers, raw, reply }) => {
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    requests.push({ path, headers, body });
    const model = typeof body.model === "string" ? body.model : DOUBLE_MODEL;
    const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
    if (path.endsWith("/models")) {
      return reply(200, { object: "list", data: [{ id: DOUBLE_MODEL, object: "model", created: 0, owned_by: "double" }] });
    }
    if (path.endsWith("/chat/completions")) {
      return reply(200, {
        id: "chatcmpl-double",
        object: "chat.completion",
        created: 1,
        model,
        choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "hello there" } }],
        usage,
      });
    }
    if (path.endsWith("/completions")) {
      return reply(200, {
        id: "cmpl-double",
        object: "text_completion",
        created: 1,
        model,
        choices: [{ index: 0, finish_reason: "stop", text: " completed", logprobs: null }],
        usage,
      });
    }
    if (path.endsWith("/embeddings")) {
      const input = body.input;
      const inputs = Array.isArray(input) ? input : [input];
      return reply(200, {
        object: "list",
        model,
        data: inputs.map((_, index) => ({ object: "embedding", index, embedding: [0.1, 0.2, 0.3, 0.4] })),
        usage: { prompt_tokens: 2, total_tokens: 2 },
      });
    }
    reply(404, { error: { message: `no route ${path}` } });
  });
  return { url: server.origin, requests, close: server.close };
}
