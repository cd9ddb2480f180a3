/** The fixture Responses tool tests share: a scripted chat provider, the MCP test server and an embedded stack over the provider. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMcpServer, type RunningMcpServer, type StartMcpServerOptions } from "@llama-stack-tests/mcp-test-server";
import { startEmbeddedStack, type EmbeddedStackHandle } from "../src/index.js";
import { startScriptedChatProvider, type ScriptedChatProvider } from "./responses-provider-double.js";

export interface ScriptedMcpStack {
  provider: ScriptedChatProvider;
  mcp: RunningMcpServer;
  stack: EmbeddedStackHandle;
  /** Forgets the provider's recorded requests and queued turns (call before each test). */
  reset(): void;
  close(): Promise<void>;
}

export async function startScriptedMcpStack(opts: { mcp?: StartMcpServerOptions; env?: NodeJS.ProcessEnv; tmpPrefix: string }): Promise<ScriptedMcpStack> {
  const provider = await startScriptedChatProvider();
  const mcp = await startMcpServer({ tools: "default", ...opts.mcp });
  const dataDir = mkdtempSync(join(tmpdir(), opts.tmpPrefix));
  const stack = await startEmbeddedStack({ port: 0, dataDir, env: { LLAMA_CPP_URL: provider.baseUrl, ...opts.env } });
  return {
    provider,
    mcp,
    stack,
    reset: () => {
      provider.chatRequests.length = 0;
      provider.turns.length = 0;
    },
    close: async () => {
      await stack.close();
      await mcp.close();
      await provider.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
