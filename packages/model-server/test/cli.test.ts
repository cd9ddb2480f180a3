import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist", "cli.js");

describe("model-server CLI", () => {
  it("prints the listening line, serves requests and exits on SIGTERM", async () => {
    expect(existsSync(cli), `${cli} is missing: run 'pnpm --filter @llama-stack-tests/model-server build' first`).toBe(true);
    const child = spawn(process.execPath, [cli, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /model-server listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once("exit", (code) => reject(new Error(`CLI exited early with ${code}: ${out}`)));
      });
      const models = (await (await fetch(`${url}/v1/models`)).json()) as any;
      expect(models.data[0].id).toBe("tiny-random-llama");
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
  });

  it("rejects a prompt too long for the context without tokenizing it, stays responsive, and exits on SIGTERM", async () => {
    const child = spawn(process.execPath, [cli, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /model-server listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once("exit", (code) => reject(new Error(`CLI exited early with ${code}: ${out}`)));
      });
      // One word of 4 MB: tokenizing it whole would take hours on the event loop.
      const word = "a".repeat(4 * 1024 * 1024);
      const post = (route: string, body: unknown) =>
        fetch(`${url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const [chat, completion, embedding, health] = await Promise.all([
        post("/v1/chat/completions", { model: "tiny-random-llama", messages: [{ role: "user", content: word }] }),
        post("/v1/completions", { model: "tiny-random-llama", prompt: word }),
        post("/v1/embeddings", { model: "tiny-random-llama-embed", input: word }),
        fetch(`${url}/health`),
      ]);
      expect(health.status).toBe(200);
      for (const [res, param] of [[chat, "messages"], [completion, "prompt"], [embedding, "input"]] as const) {
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { message: string; param: string; code: string } };
        expect(body.error).toMatchObject({ param, code: "context_length_exceeded" });
        expect(body.error.message).toMatch(new RegExp(`has ${word.length} bytes, more than the 8192-token context window can hold .*; shorten ${param}\\.$`));
      }
      // A prompt being generated for does not hold the stop.
      void post("/v1/chat/completions", { model: "tiny-random-llama", messages: [{ role: "user", content: "hi" }], max_tokens: 4000 }).catch(() => undefined);
    } finally {
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
  });

  it("rejects a bad --port with a usage message", async () => {
    const child = spawn(process.execPath, [cli, "--port", "abc"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(err).toContain("--port must be a non-negative integer");
  });
});
