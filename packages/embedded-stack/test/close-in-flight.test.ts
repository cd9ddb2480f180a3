/**
 * Closing a stack ends the provider calls still in flight instead of waiting for them: a stopped run
 * must not wait for a provider that takes its time (up to its `timeout`, 300 s by default). What was
 * already answered is still written (the inference store's queued saves) before the database closes.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import Fastify from "fastify";
import { stackClosingSignal } from "../src/context/request-context.js";
import { startEmbeddedStack, startStackPool } from "../src/index.js";
import { InvalidValueError } from "../src/server/errors.js";
import { trackInFlight } from "../src/server/in-flight.js";
import { route } from "../src/server/route.js";
import { postJson } from "./server-harness.js";

const CLI = join(import.meta.dirname, "../dist/cli.js");

/**
 * Test double of a provider (no real one can be made to stall on demand): model `fast` answers at
 * once, model `slow` never answers; nor does any other POST (an MCP client's first call) or a GET of
 * a `.csv` (a dataset's rows). Each stalled call is logged when it arrives and when the stack ends it
 * (its connection closes).
 */
interface StallingProvider {
  url: string;
  events: string[];
  /** Resolves when the n-th call to `slow` since the last reset has arrived. */
  stalled(n: number): Promise<void>;
  /** Resolves when n of them have been ended by the stack (the peer sees that a moment after the stack closed its socket). */
  ended(n: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

async function startStallingProvider(): Promise<StallingProvider> {
  const events: string[] = [];
  const held: ServerResponse[] = [];
  const count = { arrived: 0, ended: 0 };
  let waiters: { kind: keyof typeof count; n: number; wake: () => void }[] = [];
  const wake = () => {
    for (const w of waiters.filter((x) => count[x.kind] >= x.n)) w.wake();
  };
  const when = (kind: keyof typeof count, n: number) =>
    count[kind] >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ kind, n, wake: resolve }));
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      if (req.method === "GET" && !req.url?.endsWith(".csv")) {
        const data = ["fast", "slow"].map((id) => ({ id, object: "model" }));
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data }));
        return;
      }
      const body = (req.method === "POST" ? JSON.parse(raw) : {}) as { model?: string };
      if (body.model === "fast") {
        const completion = { id: "chatcmpl-fast", object: "chat.completion", created: 1, model: "fast", choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }] };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(completion));
        return;
      }
      held.push(res);
      count.arrived++;
      events.push("provider: stalled call arrived");
      res.on("close", () => {
        count.ended++;
        events.push("provider: stalled call ended by the stack");
        wake();
      });
      wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/v1`,
    events,
    stalled: (n) => when("arrived", n),
    ended: (n) => when("ended", n),
    reset: () => {
      count.arrived = count.ended = 0;
      waiters = [];
      events.length = 0;
    },
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let provider: StallingProvider;
let dir: string;
let configPath: string;

beforeAll(async () => {
  provider = await startStallingProvider();
  dir = mkdtempSync(join(tmpdir(), "embedded-stack-close-"));
  configPath = join(dir, "run.yaml");
  // A timeout far beyond the test's: before closing ended calls, a close waited for it.
  const lines = ["version: 2", "image_name: test", "providers:", "  inference:", "  - provider_id: p", "    provider_type: remote::openai", "    config:", `      base_url: ${provider.url}`, "      api_key: x", "      timeout: 3600"];
  writeFileSync(configPath, lines.join("\n"));
});
afterEach(() => provider.reset());
afterAll(async () => {
  await provider?.close();
  rmSync(dir, { recursive: true, force: true });
});

const chat = (url: string, model: string) => postJson(`${url}/v1/chat/completions`, { model: `p/${model}`, messages: [{ role: "user", content: "hi" }] });

/** The client's side of a request the stack ends while closing: a 503 if it got an answer out first, else a closed connection. */
const ENDED = "client: request ended";
const outcome = (res: Promise<Response>, events: string[]) =>
  res.then(
    (r) => events.push(r.status === 503 ? ENDED : `client: answered ${r.status}`),
    () => events.push(ENDED),
  );

describe("closing a stack with provider calls in flight", () => {
  it("ends the calls, then closes, keeping what was already answered", async () => {
    const dataDir = join(dir, "stack");
    const stack = await startEmbeddedStack({ port: 0, dataDir, configPath, env: {} });
    expect((await chat(stack.url, "fast")).status).toBe(200);
    const client = outcome(chat(stack.url, "slow"), provider.events);
    await provider.stalled(1);

    // Before calls were ended, this waited for the provider's timeout (an hour here): the test's own timeout caught it.
    await stack.close();
    provider.events.push("stack: closed");
    await Promise.all([client, provider.ended(1)]);

    expect([...provider.events].sort()).toEqual([ENDED, "provider: stalled call arrived", "provider: stalled call ended by the stack", "stack: closed"].sort());
    // The completion answered just before the close was queued for a batched write: it is on disk.
    const db = new Database(join(dataDir, "stack.sqlite"), { readonly: true });
    try {
      expect(db.prepare("SELECT id FROM chat_completions").all()).toEqual([{ id: "chatcmpl-fast" }]);
    } finally {
      db.close();
    }
  });

  it("a pool ends its stacks' calls, closes them and removes their data dirs", async () => {
    const dataDir = join(dir, "pool");
    const pool = await startStackPool({ dataDir, configPath, key: "k", env: {}, log: () => {} });
    const urls: string[] = [];
    for (const name of ["a", "b"]) {
      const res = await fetch(`${pool.url}/pool/stacks`, { method: "POST", body: JSON.stringify({ name }) });
      urls.push(((await res.json()) as { url: string }).url);
    }
    const clients = urls.map((url) => outcome(chat(url, "slow"), provider.events));
    await provider.stalled(2);
    expect(readdirSync(dataDir)).toHaveLength(2);

    await pool.close();
    expect(readdirSync(dataDir)).toEqual([]);
    await Promise.all([...clients, provider.ended(2)]);
    expect(provider.events.filter((e) => e.startsWith("client:"))).toEqual([ENDED, ENDED]);
  });

  it.skipIf(!existsSync(CLI))("the pool's process leaves on SIGTERM with its stacks' calls ended and their data dirs gone (skipped until `pnpm build`)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "embedded-stack-close-cli-"));
    const child = spawn(process.execPath, [CLI, "--port", "0", "--data-dir", dataDir, "--config", configPath, "--pool", "k"], { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH } });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`the pool exited with ${code} before it was ready`)));
      });
      const poolUrl = /listening on (\S+)$/.exec(first)?.[1];
      const res = await fetch(`${poolUrl}/pool/stacks`, { method: "POST", body: JSON.stringify({ name: "a" }) });
      const { url } = (await res.json()) as { url: string };
      const client = outcome(chat(url, "slow"), provider.events);
      await provider.stalled(1);

      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(readdirSync(dataDir)).toEqual([]);
      await Promise.all([client, provider.ended(1)]);
      expect(provider.events.filter((e) => e.startsWith("client:"))).toEqual([ENDED]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("closing a stack with calls to MCP servers or URLs in flight", () => {
  const register = {
    "an MCP server's tools": async (url: string) => {
      await postJson(`${url}/v1/toolgroups`, { toolgroup_id: "mcp::stalled", provider_id: "model-context-protocol", mcp_endpoint: { uri: `${provider.url}/mcp` } });
      return `${url}/v1/tool-runtime/list-tools?tool_group_id=mcp::stalled`;
    },
    "a dataset's rows at a URL": async (url: string) => {
      await postJson(`${url}/v1beta/datasets`, { dataset_id: "stalled", purpose: "eval/messages-answer", source: { type: "uri", uri: `${provider.url}/rows.csv` } });
      return `${url}/v1beta/datasetio/iterrows/stalled`;
    },
  };

  it.each(Object.keys(register) as (keyof typeof register)[])("ends the call for %s, then closes", async (what) => {
    const stack = await startEmbeddedStack({ port: 0, dataDir: join(dir, "outbound"), env: { LLAMA_CPP_URL: provider.url } });
    const client = outcome(fetch(await register[what](stack.url)), provider.events);
    await provider.stalled(1);

    // Before these calls were ended, the close waited 5 s for them and left them open.
    await stack.close();
    provider.events.push("stack: closed");
    await Promise.all([client, provider.ended(1)]);
    expect([...provider.events].sort()).toEqual([ENDED, "provider: stalled call arrived", "provider: stalled call ended by the stack", "stack: closed"].sort());
  });

  it("answers 503 for a handler whose outbound call the close ended, whatever error that call raised", async () => {
    const app = Fastify();
    const inFlight = trackInFlight(app);
    route(app, "GET", "/v1/outbound", async () => {
      const res = await fetch(`${provider.url}/rows.csv`, { signal: stackClosingSignal() }).catch(() => {
        throw new InvalidValueError("could not read the rows");
      });
      return res.text();
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const answer = fetch(`http://127.0.0.1:${(app.server.address() as { port: number }).port}/v1/outbound`);
      await provider.stalled(1);
      inFlight.endOutboundCalls();
      const res = await answer;
      expect([res.status, ((await res.json()) as { message: string }).message]).toEqual([503, "The stack is shutting down: this request's outbound calls were ended"]);
      await provider.ended(1);
    } finally {
      await app.close();
    }
  });
});
