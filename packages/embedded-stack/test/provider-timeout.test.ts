/**
 * A provider that stops answering costs the client a bounded wait and the real server's answer to a
 * timeout (504 "Operation timed out"), not a request that hangs for as long as the provider does.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedStack, type EmbeddedStackHandle } from "../src/index.js";
import { postJson, sseData } from "./server-harness.js";

/** Test double of a stalled provider: lists its model, then answers chat with nothing (or one chunk when streaming). */
let silent: Server;
const open: ServerResponse[] = [];
let stack: EmbeddedStackHandle;
let dir: string;

beforeAll(async () => {
  silent = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      if (req.method === "GET") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [{ id: "slow", object: "model" }] }));
        return;
      }
      open.push(res);
      if ((JSON.parse(raw) as { stream?: boolean }).stream) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(`data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 0, model: "slow", choices: [{ index: 0, delta: { role: "assistant", content: "Hel" }, finish_reason: null }] })}\n\n`);
      }
    });
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const port = (silent.address() as { port: number }).port;
  dir = mkdtempSync(join(tmpdir(), "embedded-stack-timeout-"));
  const configPath = join(dir, "run.yaml");
  writeFileSync(configPath, ["version: 2", "image_name: test", "providers:", "  inference:", "  - provider_id: stalled", "    provider_type: remote::openai", "    config:", `      base_url: http://127.0.0.1:${port}/v1`, "      api_key: x", "      timeout: 1"].join("\n"));
  stack = await startEmbeddedStack({ port: 0, dataDir: join(dir, "data"), configPath, env: {} });
});

afterAll(async () => {
  await stack.close();
  for (const res of open) res.destroy();
  await new Promise((resolve) => silent.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("provider timeout", () => {
  it("answers 504 Operation timed out when the provider sends no answer", async () => {
    const res = await postJson(`${stack.url}/v1/chat/completions`, { model: "stalled/slow", messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(504);
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toMatch(/^Operation timed out: provider 'stalled' sent nothing for 1 s at http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions; raise its `timeout` in the run config/);
  });

  it("ends a stream whose provider stalls with the timeout as its error event", async () => {
    const res = await postJson(`${stack.url}/v1/chat/completions`, { model: "stalled/slow", messages: [{ role: "user", content: "hi" }], stream: true });
    expect(res.status).toBe(200);
    const frames = sseData(await res.text());
    expect(JSON.parse(frames[0] ?? "{}")).toMatchObject({ choices: [{ delta: { content: "Hel" } }] });
    expect(frames[frames.length - 1]).toContain("Operation timed out: provider 'stalled'");
  });
});
