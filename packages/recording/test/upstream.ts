/**
 * A local OpenAI-compatible provider on node:http, standing in for a real model server in tests.
 * Deterministic answers derived from the request; records what it received.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface FakeProvider {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

function json(res: import("node:http").ServerResponse, status: number, v: unknown): void {
  const t = JSON.stringify(v);
  res.writeHead(status, { "content-type": "application/json" });
  res.end(t);
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const received: Received[] = [];
  let counter = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const path = (req.url ?? "").split("?")[0];
    received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
    counter++;
    if (path === "/v1/models") {
      return json(res, 200, { object: "list", data: [{ id: "m-b", object: "model", created: 5, owned_by: "x" }, { id: "m-a", object: "model", created: 6, owned_by: "x" }] });
    }
    if (path === "/v1/files") {
      return json(res, 200, { id: `file-${counter}`, object: "file", bytes: chunks.reduce((n, c) => n + c.length, 0), created_at: 123 });
    }
    if (path === "/api/ps") return json(res, 200, { models: [] });
    if (path === "/health") return void res.writeHead(200).end();
    if (path === "/v1/binary") {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      return void res.end(Buffer.from([0, 1, 2, 255]));
    }
    if (path !== "/v1/chat/completions") return json(res, 404, { error: { message: `no route ${path}` } });
    const req_ = JSON.parse(body || "{}");
    if (req_.model === "bad") return json(res, 400, { error: { message: "model bad does not exist", code: "model_not_found" } });
    const text = `echo:${req_.messages?.[0]?.content ?? ""}`;
    if (!req_.stream) {
      return json(res, 200, {
        id: `chatcmpl-${counter}`, object: "chat.completion", created: 1700000000 + counter, model: req_.model,
        choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    const words = text.split("");
    for (let i = 0; i < words.length; i++) {
      const chunk = { id: `chatcmpl-${counter}`, object: "chat.completion.chunk", created: 1700000000 + counter, model: req_.model,
        choices: [{ index: 0, delta: { content: words[i] }, finish_reason: i === words.length - 1 ? "stop" : null }] };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      if (req_.model === "break" && i === 1) {
        await new Promise((r) => setTimeout(r, 20));
        return void res.destroy();
      }
    }
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
