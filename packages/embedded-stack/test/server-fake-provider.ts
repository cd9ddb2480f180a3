/**
 * FakeProvider: a test double for a remote model provider. A real node:http server on 127.0.0.1 that
 * speaks the OpenAI-compatible API with canned answers and records every request the stack sends, so
 * tests can check bodies and headers byte for byte.
 */
import type { IncomingHttpHeaders } from "node:http";
import { startLoopbackJsonServer } from "./loopback-json-server.js";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> | null;
}

export interface FakeProvider {
  /** Base URL including /v1, as a provider URL env would hold it. */
  baseUrl: string;
  requests: ReceivedRequest[];
  /** Text of the assistant answer; a function sees the request body. */
  answer: (body: Record<string, unknown>) => string;
  modelIds: string[];
  close(): Promise<void>;
}

/** A chat request whose model is this gets a 429 from the fake provider. */
export const RATE_LIMITED_MODEL = "rate-limited";
/** A streamed chat request whose model is this breaks the stream after one chunk. */
export const BROKEN_STREAM_MODEL = "broken-stream";

export async function startFakeProvider(modelIds: string[] = ["tiny-random-llama", "tiny-random-llama-embed"]): Promise<FakeProvider> {
  const fake: FakeProvider = {
    baseUrl: "",
    requests: [],
    answer: () => "Hello from the fake provider",
    modelIds,
    close: async () => undefined,
  };
  const server = await startLoopbackJsonServer(({ method, path, headers, raw, res, reply: json }) => {
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    fake.requests.push({ method, path, headers, body });
    const b = body ?? {};
    const model = String(b.model ?? "");
    if (method === "GET" && path === "/v1/models") {
      return json(200, { object: "list", data: fake.modelIds.map((id) => ({ id, object: "model", created: 0, owned_by: "fake" })) });
    }
    if (model === RATE_LIMITED_MODEL) return json(429, { error: { message: "slow down", type: "rate_limit" } });
    const usage = { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 };
    if (path === "/v1/chat/completions") {
      const text = fake.answer(b);
      if (b.stream === true) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        const base = { id: "chatcmpl-fake-stream", object: "chat.completion.chunk", created: 1700000000, model };
        res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: text.slice(0, 5) }, finish_reason: null }] })}\n\n`);
        if (model === BROKEN_STREAM_MODEL) {
          res.write("data: {not json\n\n");
          return res.end();
        }
        res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: text.slice(5) }, finish_reason: "stop" }] })}\n\n`);
        const options = b.stream_options as { include_usage?: boolean } | undefined;
        if (options?.include_usage) res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
        res.write("data: [DONE]\n\n");
        return res.end();
      }
      return json(200, {
        id: `chatcmpl-fake-${fake.requests.length}`,
        object: "chat.completion",
        created: 1700000000 + fake.requests.length,
        model,
        choices: [{ index: 0, message: { role: "assistant", content: text, tool_calls: [] }, finish_reason: "stop", logprobs: null }],
        usage,
      });
    }
    if (path === "/v1/completions") {
      return json(200, {
        id: "cmpl-fake",
        object: "text_completion",
        created: 1700000000,
        model,
        choices: [{ index: 0, text: "blue", finish_reason: "stop", logprobs: null }],
        usage,
      });
    }
    if (path === "/v1/embeddings") {
      const inputs = Array.isArray(b.input) ? b.input : [b.input];
      return json(200, {
        object: "list",
        model,
        data: inputs.map((_, index) => ({ object: "embedding", index, embedding: Array.from({ length: 64 }, (_v, i) => i / 64) })),
        usage: { prompt_tokens: 4, total_tokens: 4 },
      });
    }
    json(404, { error: { message: `fake provider has no route ${method} ${path}` } });
  });
  fake.baseUrl = `${server.origin}/v1`;
  fake.close = server.close;
  return fake;
}
