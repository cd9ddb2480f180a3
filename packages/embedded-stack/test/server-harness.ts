/** Starts the real stack in-process on a random port over a temp data dir, wired to a FakeProvider. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedStack, type EmbeddedStackHandle } from "../src/index.js";
import { startFakeProvider, type FakeProvider } from "./server-fake-provider.js";

export interface Harness {
  stack: EmbeddedStackHandle;
  provider: FakeProvider;
  url: string;
  /** The stack's data directory (SQLite, uploaded files). */
  dataDir: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Env of the stack; `LLAMA_CPP_URL` defaults to the fake provider. */
  env?: (provider: FakeProvider) => NodeJS.ProcessEnv;
  configPath?: string;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const provider = await startFakeProvider();
  const dataDir = mkdtempSync(join(tmpdir(), "embedded-stack-test-"));
  const env = opts.env ? opts.env(provider) : { LLAMA_CPP_URL: provider.baseUrl };
  const stack = await startEmbeddedStack({ port: 0, dataDir, env, configPath: opts.configPath });
  return {
    stack,
    provider,
    url: stack.url,
    dataDir,
    async close() {
      await stack.close();
      await provider.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

/** Raw SSE text split into its `data:` payloads. */
export function sseData(text: string): string[] {
  return text
    .split("\n\n")
    .filter((frame) => frame.length > 0)
    .map((frame) => {
      if (!frame.startsWith("data: ")) throw new Error(`not an SSE data frame: ${JSON.stringify(frame)}`);
      return frame.slice("data: ".length);
    });
}
