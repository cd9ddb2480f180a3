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

  it("runs an ogx target's own venv `ogx stack run` with OGX_* variables", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "start-server-"));
    // The target's venv CLI (scripts/install-real-server.sh puts it there), standing in as the fake stack.
    const bin = path.join(root, ".venvs", "ogx-1.5.0", "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, "ogx"), `#!/bin/sh\nexec "${process.execPath}" "${FAKE_STACK}" "$@"\n`, { mode: 0o755 });
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      LLAMA_STACK_TEST_STACK_CONFIG: `server:stacks/run-ogx.yaml:${port}`,
      LLAMA_STACK_TEST_SETUP: "ollama",
      LLAMA_STACK_TEST_TARGET: "ogx@1.x",
      OLLAMA_URL: "http://127.0.0.1:1/v1",
    };
    try {
      const stack = await startStack(readOptions(env, root), [], env);
      try {
        const seen = (await (await fetch(`${stack.baseUrl}/debug/process`)).json()) as { argv: string[]; env: Record<string, string> };
        expect(seen.argv).toEqual(["stack", "run", "stacks/run-ogx.yaml", "--port", String(port), "--insecure"]);
        expect(seen.env.OGX_TEST_STACK_CONFIG_TYPE).toBe("server");
        expect(seen.env.OGX_TEST_INFERENCE_MODE).toBe("replay");
        expect(seen.env.OGX_DISABLE_VERSION_CHECK).toBe("1");
        expect(seen.env.OGX_LOG_FILE).toMatch(/records\.log$/);
        expect(seen.env.LLAMA_STACK_TEST_STACK_CONFIG_TYPE).toBeUndefined();
      } finally {
        await stack.close();
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("names the set-up command when the target is not installed (a `llama` on PATH does not stand in for 0.7)", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "start-server-"));
    const bin = path.join(root, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "llama"), `#!/bin/sh\nexec "${process.execPath}" "${FAKE_STACK}" "$@"\n`, { mode: 0o755 });
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      LLAMA_STACK_TEST_STACK_CONFIG: `server:stacks/run-0.7.yaml:${port}`,
      LLAMA_STACK_TEST_SETUP: "ollama",
      LLAMA_STACK_TEST_TARGET: "llama-stack@0.7.x",
    };
    try {
      await expect(startStack(readOptions(env, root), [], env)).rejects.toThrow(
        "`llama` of llama-stack@0.7.3 is not installed (.venvs/llama-stack-0.7.3), so --stack-config=server:... cannot start it. Run `bash scripts/setup.sh --real-server=llama-stack@0.7.3`",
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
