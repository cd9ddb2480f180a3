/**
 * A pool of embedded stacks in one process. Each client (an API package's test run) asks for a stack
 * of its own, on its own port with its own data dir, so test fixtures that empty a stack never touch
 * another client's; what the clients share is the process start and the loaded code.
 *
 *   GET    /v1/health           200 once the pool listens
 *   GET    /pool                {key, stacks}: the key it was started with, for clients to check it is theirs
 *   POST   /pool/stacks {name}  201 {id, url}: a fresh stack
 *   DELETE /pool/stacks/<id>    204 once that stack is closed and its data dir removed
 */
import { mkdirSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { startEmbeddedStack, type EmbeddedStackHandle } from "./index.js";

export interface StackPoolOptions {
  port?: number;
  host?: string;
  /** Every stack's data dir is a directory under it. */
  dataDir: string;
  configPath?: string;
  /** Reported by GET /pool: clients use a pool only when it is the one started for their options. */
  key: string;
  /** Env of every stack; `nameToken` in a value is replaced by the stack's name (e.g. to tag its provider URLs). */
  env: NodeJS.ProcessEnv;
  nameToken?: string;
  log: (message: string) => void;
}

export interface StackPool {
  url: string;
  close(): Promise<void>;
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

class PoolRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, value?: unknown): void {
  if (value === undefined) return void res.writeHead(status).end();
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

async function readName(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let name: unknown;
  try {
    name = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { name?: unknown }).name;
  } catch {
    throw new PoolRequestError(400, 'the body must be JSON: {"name": "<client name>"}');
  }
  if (typeof name !== "string" || !NAME.test(name)) throw new PoolRequestError(400, "name: 1-64 letters, digits, '_', '.' or '-'");
  return name;
}

export async function startStackPool(opts: StackPoolOptions): Promise<StackPool> {
  const host = opts.host ?? "127.0.0.1";
  const stacks = new Map<string, EmbeddedStackHandle & { dataDir: string }>();
  let serial = 0;
  let closing = false;

  const envFor = (name: string): NodeJS.ProcessEnv => {
    const token = opts.nameToken;
    if (!token) return opts.env;
    return Object.fromEntries(Object.entries(opts.env).map(([k, v]) => [k, v?.split(token).join(name)]));
  };

  const create = async (name: string) => {
    const id = `${name}-${++serial}`;
    const dataDir = join(opts.dataDir, id);
    mkdirSync(dataDir, { recursive: true });
    try {
      const stack = await startEmbeddedStack({
        host,
        port: 0,
        dataDir,
        configPath: opts.configPath,
        env: envFor(name),
        log: (message) => opts.log(`[${id}] ${message}`),
      });
      stacks.set(id, { ...stack, dataDir });
      opts.log(`[${id}] listening on ${stack.url}`);
      return { id, url: stack.url };
    } catch (err) {
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
  };

  const release = async (id: string) => {
    const stack = stacks.get(id);
    if (!stack) throw new PoolRequestError(404, `no stack ${id} in this pool`);
    stacks.delete(id);
    try {
      await stack.close();
    } finally {
      rmSync(stack.dataDir, { recursive: true, force: true });
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (req.method === "GET" && path === "/v1/health") return send(res, 200, { status: "OK" });
    if (req.method === "GET" && path === "/pool") return send(res, 200, { key: opts.key, stacks: [...stacks.keys()] });
    if (closing) throw new PoolRequestError(503, "the pool is closing");
    if (req.method === "POST" && path === "/pool/stacks") return send(res, 201, await create(await readName(req)));
    const m = /^\/pool\/stacks\/([^/]+)$/.exec(path);
    if (req.method === "DELETE" && m) {
      await release(decodeURIComponent(m[1]!));
      return send(res, 204);
    }
    throw new PoolRequestError(404, `no route ${req.method} ${path} (GET /pool, POST /pool/stacks, DELETE /pool/stacks/<id>)`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof PoolRequestError ? err.status : 500;
      if (status === 500) opts.log(`pool: ${(err as Error).message}`);
      if (!res.headersSent) send(res, status, { detail: (err as Error).message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    async close() {
      closing = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      const results = await Promise.allSettled([...stacks.keys()].map((id) => release(id)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    },
  };
}
