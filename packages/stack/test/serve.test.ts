import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findRepoRoot } from "@llama-stack-tests/setups";
import { describe, expect, it } from "vitest";
import { SERVE_READY_LINE } from "../src/serve.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = findRepoRoot(here);
const CLI = path.join(here, "..", "dist", "cli.js");
// A committed recording of the embedded setup: the test id and the answer a plain client must get back.
const RECORDING = path.join(root, "recordings", "inference", "5786a586de3ee3fe83ae56b69aadb1a92053f9a990adeb90c4344c1fb005e925.json");

/** Processes whose command line mentions `needle` (the serve run's private TMPDIR): orphans if any remain. */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(needle)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

describe("llama-stack-test serve", () => {
  it.each(["SIGINT", "SIGTERM"] as const)(
    "starts proxy and embedded stack, prints upstream's env, replays for a plain client, and %s stops everything",
    async (signal) => {
      expect(fs.existsSync(CLI), "the built CLI (turbo's test task builds it first)").toBe(true);
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "serve-test-"));
      const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
      for (const key of Object.keys(env)) if (key.startsWith("LLAMA_STACK_TEST_") || key === "LLAMA_CPP_URL") delete env[key];
      const child = spawn(process.execPath, [CLI, "serve", "--setup=embedded", "--suite=base"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      try {
        await new Promise<void>((resolve, reject) => {
          child.stdout.on("data", () => out.includes(SERVE_READY_LINE) && resolve());
          void exited.then(() => reject(new Error(`serve exited before it was ready:\n${out}`)));
        });
        const exported = Object.fromEntries([...out.matchAll(/^export ([A-Z_0-9]+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
        const baseUrl = exported.TEST_API_BASE_URL!;
        expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(exported).toMatchObject({
          LLAMA_STACK_PORT: new URL(baseUrl).port,
          LLAMA_STACK_TEST_STACK_CONFIG_TYPE: "server",
          LLAMA_STACK_TEST_STACK_CONFIG: baseUrl,
          LLAMA_STACK_TEST_SUITE: "base",
          LLAMA_STACK_TEST_SETUP: "embedded",
          LLAMA_STACK_TEST_INFERENCE_MODE: "replay",
          LLAMA_STACK_TEST_TEXT_MODEL: "llama-cpp/tiny-random-llama",
          LLAMA_STACK_TEST_EMBEDDING_DIMENSION: "384",
        });
        expect(out).toContain('X-LlamaStack-Provider-Data: {"__test_id": ');

        // A plain client: fetch, the recorded test's id in the provider-data header, the recorded request.
        const recording = JSON.parse(fs.readFileSync(RECORDING, "utf8")) as {
          test_id: string;
          request: { body: { messages: unknown[] } };
          response: { body: { __data__: { choices: { message: { content: string } }[] } } };
        };
        const chat = (testId: string) =>
          fetch(`${baseUrl}/v1/chat/completions`, {
            method: "POST",
            headers: { "content-type": "application/json", "X-LlamaStack-Provider-Data": JSON.stringify({ __test_id: testId }) },
            body: JSON.stringify({ model: exported.LLAMA_STACK_TEST_TEXT_MODEL, messages: recording.request.body.messages, stream: false }),
          });
        const hit = await chat(recording.test_id);
        const body = (await hit.json()) as { choices: { message: { content: string } }[] };
        expect(hit.status, JSON.stringify(body)).toBe(200);
        expect(body.choices[0]!.message.content).toBe(recording.response.body.__data__.choices[0]!.message.content);
        // Replay is strict: the same request under a test id with no recording is refused, not invented.
        const miss = await chat("tests/integration/inference/test_serve.py::test_not_recorded");
        expect(miss.status).toBeGreaterThanOrEqual(400);
        const traffic = fs.readFileSync(path.join(root, "reports", "serve", "provider-traffic.ndjson"), "utf8");
        expect(traffic).toContain(recording.test_id);
        expect(processesMentioning(tmp).length).toBeGreaterThan(0); // the stack runs with its data dir under TMPDIR

        child.kill(signal);
        expect(await exited).toBe(0);
        expect(out).toContain(`llama-stack-test serve: ${signal}, stopping`);
        expect(out).toContain("llama-stack-test serve: stopped");
        expect(await fetch(`${baseUrl}/v1/health`).then(() => "up", () => "down")).toBe("down");
        expect(processesMentioning(tmp)).toEqual([]);
        expect(fs.readdirSync(tmp)).toEqual([]);
      } finally {
        child.kill("SIGKILL");
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
    90_000,
  );

  it("takes no run-only flags", async () => {
    const { parseCliArgs } = await import("../src/cli-args.js");
    expect(parseCliArgs(["serve", "--setup=gpt", "--recordings-dir=x"])).toMatchObject({ command: "serve", values: { setup: "gpt", recordingsDir: "x" } });
    expect(() => parseCliArgs(["serve", "--list-test-ids", "--", "-t", "x"])).toThrow(/^serve runs no tests: drop --list-test-ids, '--' \(vitest arguments\)\./);
    expect(() => parseCliArgs(["serve", "--port=1"])).toThrow(/Unknown option --port/);
    expect(() => parseCliArgs(["--setup=gpt", "serve"])).toThrow(/Unexpected argument 'serve'/);
  });
});
