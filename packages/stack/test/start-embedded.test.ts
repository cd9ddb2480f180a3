import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findRepoRoot } from "@llama-stack-tests/setups";
import { describe, expect, it } from "vitest";
import { dependencyDir } from "../src/lifecycle/path-lookup.js";
import { applyRunEnv, startStack } from "../src/lifecycle/start.js";
import { readOptions } from "../src/options.js";

const built = (name: string, file: string) => {
  const dir = dependencyDir(name);
  return dir !== undefined && fs.existsSync(path.join(dir, "dist", file));
};

describe("startStack with the embedded stack (replay)", () => {
  it("starts the recording proxy and the embedded stack child, points LLAMA_CPP_URL at the proxy, and stops both", async (ctx) => {
    if (!built("@llama-stack-tests/embedded-stack", "cli.js") || !built("@llama-stack-tests/recording", "index.js")) {
      ctx.skip("needs the built embedded-stack and recording packages: pnpm turbo run build --filter=@llama-stack-tests/stack...");
    }
    const recordings = fs.mkdtempSync(path.join(os.tmpdir(), "embedded-recordings-"));
    const env: NodeJS.ProcessEnv = { ...process.env, LLAMA_STACK_TEST_RECORDINGS_DIR: recordings };
    for (const key of ["LLAMA_STACK_TEST_SETUP", "LLAMA_STACK_TEST_STACK_CONFIG", "LLAMA_STACK_TEST_INFERENCE_MODE", "LLAMA_CPP_URL"]) delete env[key];
    const options = readOptions(env, findRepoRoot());
    const supplied = applyRunEnv(options, env);
    const stack = await startStack(options, supplied, env, "stack-selftest");
    try {
      expect(stack.description).toMatch(/^embedded stack at http:\/\/127\.0\.0\.1:\d+ .*recording proxy at http:\/\/127\.0\.0\.1:\d+ \(replay, routes: llama-cpp\)/);
      const health = await fetch(`${stack.baseUrl}/v1/health`);
      expect(health.status).toBe(200);
    } finally {
      await stack.close();
      fs.rmSync(recordings, { recursive: true, force: true });
    }
    expect(await fetch(`${stack.baseUrl}/v1/health`).then(() => "up", () => "down")).toBe("down");
  }, 90_000);
});
