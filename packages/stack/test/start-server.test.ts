import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { freePort } from "../src/lifecycle/ports.js";
import { startStack } from "../src/lifecycle/start.js";
import { readOptions } from "../src/options.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const FAKE_STACK = path.join(here, "fixtures", "fake-stack.mjs");

describe("startStack with server:<config>:<port>", () => {
  it("runs `llama stack run <config> --port <port>` with the builtin recorder's env, then stops it", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "start-server-"));
    // A stand-in `llama` on PATH that runs the fake stack with the same arguments.
    const bin = path.join(root, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "llama"), `#!/bin/sh\nexec "${process.execPath}" "${FAKE_STACK}" "$@"\n`, { mode: 0o755 });
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      LLAMA_STACK_TEST_STACK_CONFIG: `server:ci-tests:${port}`,
      LLAMA_STACK_TEST_SETUP: "ollama",
      LLAMA_STACK_TEST_INFERENCE_MODE: "record-if-missing",
      OLLAMA_URL: "http://127.0.0.1:1/v1",
    };
    try {
      const options = readOptions(env, root);
      const stack = await startStack(options, [], env);
      try {
        expect(stack.baseUrl).toBe(`http://127.0.0.1:${port}`);
        const seen = (await (await fetch(`${stack.baseUrl}/debug/process`)).json()) as { argv: string[]; env: Record<string, string> };
        expect(seen.argv).toEqual(["stack", "run", "ci-tests", "--port", String(port)]);
        expect(seen.env.LLAMA_STACK_TEST_STACK_CONFIG_TYPE).toBe("server");
        expect(seen.env.LLAMA_STACK_TEST_INFERENCE_MODE).toBe("record-if-missing");
        expect(seen.env.LLAMA_STACK_TEST_RECORDING_DIR).toBe(path.join(root, ".llama-stack-tests/python-recordings/tests/integration/common"));
        expect(seen.env.OLLAMA_URL).toBe("http://127.0.0.1:1/v1");
      } finally {
        await stack.close();
      }
      expect(await fetch(`${stack.baseUrl}/v1/health`).then(() => "up", () => "down")).toBe("down");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
