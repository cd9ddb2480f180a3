/**
 * ScriptedChatProvider: a test double for a remote model provider, for the Responses tests. A real
 * loopback HTTP server speaking OpenAI's chat completions: streamed requests get the next scripted
 * turn (text chunks and/or tool calls), non-streamed ones (the guard model) get `guardVerdict`;
 * embeddings are word-count vectors, so a query finds the chunks sharing its words.
 * Every request body is kept so tests can compare what the stack sent.
 */
import { startLoopbackJsonServer } from "./loopback-json-server.js";

export interface ScriptedTurn {
  /** Streamed text, one chunk per entry. */
  text?: string[];
  toolCalls?: { id: string; name: string; arguments: string }[];
  finishReason?: string;
}

export interface ScriptedChatProvider {
  baseUrl: string;
  /** Bodies of POST /v1/chat/completions, in arrival order. */
  chatRequests: Record<string, unknown>[];
  /** Turns served to streamed requests, first in first out; an empty queue answers "Hello". */
  turns: ScriptedTurn[];
  /** Verdict of the guard model for a guard prompt (the last user message's text). */
  guardVerdict: (prompt: string) => string;
  close(): Promise<void>;
}

/** Embedding dimension of the double: texts sharing words get close vectors. */
export const DOUBLE_EMBEDDING_DIMENSION = 64;

function wordVector(text: string): number[] {
  const v = new Array<number>(DOUBLE_EMBEDDING_DIMENSION).fill(0.01);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 0;
    for (const ch of word) h = (h * 31 + ch.charCodeAt(0)) % DOUBLE_EMBEDDING_DIMENSION;
    v[h]! += 1;
  }
  return v;
}

export async function startScriptedChatProvider(): Promise<ScriptedChatProvider> {
  const provider: ScriptedChatProvider = {
    baseUrl: "",
    chatRequests: [],
    turns: [],
    guardVerdict: () => "safe",
    close: async () => undefined,
  };
  const server = await startLoopbackJsonServer(({ method, path, raw, res, reply }) => {
    if (method === "GET" && path === "/v1/models") {
      return reply(200, { object: "list", data: [{ id: "tiny-random-llama", object: "model", created: 0, owned_by: "double" }] });
    }
    if (method === "POST" && path === "/v1/embeddings") {
      const body = JSON.parse(raw) as { input: string | string[] };
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      return reply(200, {
        object: "list",
        data: inputs.map((text, index) => ({ object: "embedding", index, embedding: wordVector(text) })),
        model: "double-embed",
        usage: { prompt_tokens: 0, total_tokens: 0 },
      });
    }
    if (path !== "/v1/chat/completions") return reply(404, { error: { message: `no route ${method} ${path}` } });
    const body = JSON.parse(raw) as Record<string, unknown>;
    provider.chatRequests.push(body);
    const base = { id: `chatcmpl-${provider.chatRequests.length}`, created: 1700000000, model: String(body.model) };
    if (body.stream !== true) {
      const messages = body.messages as { content: string }[];
      const verdict = provider.guardVerdict(messages[messages.length - 1]?.content ?? "");
      return reply(200, {
        ...base,
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: verdict }, finish_reason: "stop", logprobs: null }],
      });
    }
    const turn = provider.turns.shift() ?? { text: ["Hello"] };
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.writeHead(200, { "content-type": "text/event-stream" });
    for (const text of turn.text ?? []) res.write(chunk({ role: "assistant", content: text }));
    (turn.toolCalls ?? []).forEach((call, index) =>
      res.write(chunk({ role: "assistant", content: "", tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } }] })),
    );
    res.write(chunk({ content: "" }, turn.finishReason ?? (turn.toolCalls?.length ? "tool_calls" : "stop")));
    const usage = { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 };
    res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [], usage })}\n\n`);
    res.write("data: [DONE]\n\n");
    res.end();
  });
  provider.baseUrl = `${server.origin}/v1`;
  provider.close = server.close;
  return provider;
}
