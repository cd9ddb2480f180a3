import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../src/lifecycle/ports.js";
import { startManagedProcess, type ManagedProcess } from "../src/lifecycle/process-group.js";

const here = path.dirname(fileURLToPath(import.meta.url));

export interface FakeStackRun {
  stack: ManagedProcess;
  /** Env for a vitest run of the fixture package: only the stack config of the LLAMA_STACK_TEST_* options, reports under `dir`. */
  env: NodeJS.ProcessEnv;
}

/** Starts fixtures/fake-stack.mjs (a stand-in stack) as a real child process, logging into `dir`. */
export async function startFakeStack(dir: string): Promise<FakeStackRun> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const stack = await startManagedProcess({
    name: "fake stack",
    command: process.execPath,
    args: [path.join(here, "fixtures", "fake-stack.mjs"), "--port", String(port)],
    env: process.env,
    logFile: path.join(dir, "fake.log"),
    baseUrl,
    startTimeoutMs: 20_000,
  });
  const env: NodeJS.ProcessEnv = { ...process.env, SELFTEST_REPORTS_DIR: dir, LLAMA_STACK_TEST_STACK_CONFIG: baseUrl };
  for (const key of Object.keys(env)) if (key.startsWith("LLAMA_STACK_TEST_") && key !== "LLAMA_STACK_TEST_STACK_CONFIG") delete env[key];
  return { stack, env };
}
