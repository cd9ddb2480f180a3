import { createHash } from "node:crypto";
import { startLoopbackJsonServer } from "./loopback-json-server.js";

/**
 * Deterministic stand-in for an embedding model: a normalized bag of hashed words, so texts
 * that share words are close and search relevance is predictable in tests.
 */
export function bagOfWords(text: string, dimension: number): number[] {
  const v = new Array<number>(dimension).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const bucket = createHash("md5").update(word).digest().readUInt32BE(0) % dimension;
    v[bucket] = (v[bucket] ?? 0) + 1;
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

export interface FakeEmbeddingsServer {
  url: string;
  /** Bodies of the /v1/embeddings requests received, in order. */
  requests: { model: string; input: string | string[] }[];
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible provider double on 127.0.0.1: `/v1/models` lists `models`,
 * `/v1/embeddings` answers with bag-of-words vectors of `dimension` floats, and
 * `/v1/chat/completions` with one canned assistant message.
 */
export async function startFakeEmbeddings(opts: { dimension: number; models: string[] }): Promise<FakeEmbeddingsServer> {
  const requests: FakeEmbeddingsServer["requests"] = [];
  const server = await startLoopbackJsonServer(({ method, path, raw, reply: send }) => {
    if (method === "GET" && path.endsWith("/models")) {
      return send(200, { object: "list", data: opts.models.map((id) => ({ id, object: "model", created: 0, owned_by: "test" })) });
    }
    if (method === "POST" && path.endsWith("/embeddings")) {
      const body = JSON.parse(raw) as { model: string; input: string | string[] };
      requests.push(body);
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      return send(200, {
        object: "list",
        model: body.model,
        data: inputs.map((t, index) => ({ object: "embedding", index, embedding: bagOfWords(t, opts.dimension) })),
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      });
    }
    if (method === "POST" && path.endsWith("/chat/completions")) {
      const body = JSON.parse(raw) as { model: string };
      return send(200, {
        id: "chatcmpl-fake",
        object: "chat.completion",
        created: 1,
        model: body.model,
        choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "fake reply" } }],
        usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
      });
    }
    send(404, { error: { message: `no route ${method} ${path}` } });
  });
  return { url: server.origin, requests, close: server.close };
}
