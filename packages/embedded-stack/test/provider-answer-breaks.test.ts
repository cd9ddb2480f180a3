/**
 * A provider whose non-streamed answer breaks: cut off after its status line, or before it. The stack
 * reads such answers whole (see RemoteInferenceProvider.buffered); a break after the status line is the
 * body's failure, never retried and never reported as an unreachable provider.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedStack, type EmbeddedStackHandle } from "../src/index.js";
import { postJson } from "./server-harness.js";

/** Test double of a broken provider: lists its model; chat for `cut-body` breaks mid-body, `cut-early` before any byte. */
let broken: Server;
let chatCalls = 0;
let stack: EmbeddedStackHandle;
let dir: string;

beforeAll(async () => {
  broken = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      if (req.method === "GET") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [{ id: "cut-body", object: "model" }, { id: "cut-early", object: "model" }] }));
        return;
      }
      chatCalls++;
      if ((JSON.parse(raw) as { model: string }).model === "cut-early") return void req.socket.destroy();
      res.writeHead(200, { "content-type": "application/json", "content-length": "400" });
      res.write('{"id":"chatcmpl-cut","object":"chat.completion","choices":[');
      setTimeout(() => req.socket.destroy(), 20);
    });
  });
  await new Promise<void>((resolve) => broken.listen(0, "127.0.0.1", resolve));
  const port = (broken.address() as { port: number }).port;
  dir = mkdtempSync(join(tmpdir(), "embedded-stack-broken-"));
  const configPath = join(dir, "run.yaml");
  writeFileSync(configPath, ["version: 2", "image_name: test", "providers:", "  inference:", "  - provider_id: broken", "    provider_type: remote::openai", "    config:", `      base_url: http://127.0.0.1:${port}/v1`, "      api_key: x"].join("\n"));
  stack = await startEmbeddedStack({ port: 0, dataDir: join(dir, "data"), configPath, env: {} });
});

afterAll(async () => {
  await stack.close();
  await new Promise((resolve) => broken.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("a provider answer that breaks", () => {
  it("mid-body: 502 with the socket's error, the request sent once", async () => {
    chatCalls = 0;
    const res = await postJson(`${stack.url}/v1/chat/completions`, { model: "broken/cut-body", messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ detail: "other side closed" });
    expect(chatCalls).toBe(1);
  });

  it("before any byte: retried once, then 502 naming the provider and its URL", async () => {
    chatCalls = 0;
    const res = await postJson(`${stack.url}/v1/chat/completions`, { model: "broken/cut-early", messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/^Provider 'broken' is unreachable at http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions/);
    expect(chatCalls).toBe(2);
  });
});
