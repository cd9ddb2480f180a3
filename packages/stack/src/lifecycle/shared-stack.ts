/**
 * One start-up per suite run: the suite CLI serves a broker (SHARED_STACK_ENV names it) which, when
 * the first API package asks, starts the recording proxy, the web mirror and a pool of embedded
 * stacks (one process). Each package's run then takes a fresh stack of its own from the pool (its own
 * port and data dir, so fixtures that empty a stack touch no other package) instead of starting a
 * proxy and a stack process; a run whose packages all come from turbo's cache starts nothing. A
 * package run alone (turbo run test --filter=<api>, pnpm --filter <api> test) has no such variable
 * and starts its own, as before.
 */
import fs from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { StackStartError } from "../errors.js";
import type { RunOptions } from "../options.js";
import { startBehindProviders } from "./embedded.js";
import { logsDir } from "./log.js";
import { watchGroup } from "./process-group.js";
import type { RunningStack } from "./types.js";

/** Set by the suite CLI for its packages: the broker's URL. */
export const SHARED_STACK_ENV = "LLAMA_STACK_TEST_SHARED_STACK";
/** Stands for a pool stack's name in the pool's env (its provider URLs' proxy tag). */
const NAME_TOKEN = "{{STACK_NAME}}";

/** What the broker's GET /pool answers once the pool runs. */
interface PoolRef {
  /** Options digest the pool was started for. */
  key: string;
  /** The pool's control URL (POST/DELETE /pool/stacks). */
  url: string;
  /** Its process group, watched by each package. */
  pid: number;
  log: string;
}

export interface SharedStack extends RunningStack {
  /** Env for the run's packages. */
  env: Record<string, string>;
  /** The run is being stopped: the broker says so, and the packages then take the pool's end for no death. */
  stopping(): void;
}

export interface SharedStackOptions {
  options: RunOptions;
  /** The run's env after applyRunEnv. */
  env: NodeJS.ProcessEnv;
  /** Digest of the run's options: a package takes a stack from the pool only when its own digest is this. */
  key: string;
  /** Where the traffic of the pool stack named `name` goes. */
  trafficLogPathFor: (name: string) => string;
  /** Told once what was started (proxy, mirror, pool), when the first package asks. */
  log: (line: string) => void;
  startTimeoutMs?: number;
}

interface StartedPool {
  ref: PoolRef;
  close(): Promise<void>;
  onDeath(listener: (message: string) => void): void;
}

/** The proxy, web mirror and stack pool of a suite run (replay of the embedded stack). */
async function startPool(opts: SharedStackOptions): Promise<StartedPool> {
  const { options } = opts;
  const { proc, providers, close } = await startBehindProviders(
    {
      options,
      env: opts.env,
      useModelServer: false,
      tagged: { tagToken: NAME_TOKEN, trafficLogPathFor: opts.trafficLogPathFor },
    },
    {
      name: "shared embedded stack pool",
      args: ["--pool", opts.key, "--name-token", NAME_TOKEN],
      logFileFor: (port) => path.join(logsDir(options.rootDir), `embedded-stack-pool-${port}.log`),
      ...(opts.startTimeoutMs ? { startTimeoutMs: opts.startTimeoutMs } : {}),
    },
  );
  opts.log(`shared embedded stack pool at ${proc.baseUrl} (log: ${proc.logFile}), ${providers.description}`);
  return {
    ref: { key: opts.key, url: proc.baseUrl, pid: proc.pid, log: proc.logFile },
    close,
    onDeath: (listener) => proc.onDeath(listener),
  };
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

/** Serves the broker of a suite run; the pool starts at the first GET /pool, once. */
export async function startSharedStack(opts: SharedStackOptions): Promise<SharedStack> {
  let pool: Promise<StartedPool> | undefined;
  let closed = false;
  const deathListeners: ((message: string) => void)[] = [];
  const ensure = () =>
    (pool ??= startPool(opts).then((p) => {
      for (const listener of deathListeners) p.onDeath(listener);
      return p;
    }));
  const broker: Server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/pool") return send(res, 404, { detail: "the broker serves GET /pool only" });
    if (closed) return send(res, 503, { detail: "the suite run is stopping", stopping: true });
    ensure().then(
      (p) => send(res, 200, p.ref),
      (e: unknown) => send(res, 503, { detail: `the shared stack pool could not start: ${(e as Error).message}` }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    broker.once("error", reject);
    broker.listen(0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(broker.address() as AddressInfo).port}`;
  return {
    baseUrl: url,
    description: `shared embedded stack broker at ${url} (the proxy and the pool start when the first package asks)`,
    env: { [SHARED_STACK_ENV]: url },
    stopping: () => {
      closed = true;
    },
    close: async () => {
      closed = true;
      broker.closeAllConnections();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      // A pool still starting is stopped once it is up.
      const started = await pool?.catch(() => undefined);
      await started?.close();
    },
    onDeath: (listener) => {
      deathListeners.push(listener);
      void pool?.then((p) => p.onDeath(listener), () => {});
    },
  };
}

async function poolRequest(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  } catch (e) {
    throw new StackStartError(
      `The suite's shared stack pool does not answer at ${url} (${(e as Error).message}): its run has ended, or ${SHARED_STACK_ENV} was left set. ` +
        `Unset it to start this package's own stack.`,
    );
  }
}

/**
 * Whether the suite run behind the broker at `broker` is being stopped (a signal to the suite CLI,
 * which then stops the pool too), or gone: then the pool's end is no death to report.
 */
export async function suiteRunStopping(broker: string): Promise<boolean> {
  try {
    const res = await fetch(`${broker}/pool`, { signal: AbortSignal.timeout(10_000) });
    return res.status === 503 && ((await res.json()) as { stopping?: unknown }).stopping === true;
  } catch {
    return true;
  }
}

/**
 * A fresh stack from the run's pool for the package `name`, once the pool proves to be this run's
 * (same options digest); its traffic log is emptied first, as a stack of its own would.
 */
export async function acquireSharedStack(value: string, name: string, key: string, trafficLogPath: string): Promise<RunningStack> {
  if (!/^http:\/\/[^/]+$/.test(value)) {
    throw new StackStartError(`${SHARED_STACK_ENV} is not what \`pnpm suite\` sets for its packages (${value.slice(0, 80)}); unset it to start this package's own stack.`);
  }
  const answer = await poolRequest(`${value}/pool`);
  if (!answer.ok) throw new StackStartError(`The suite's shared stack broker at ${value}: ${answer.status} ${await answer.text()}`);
  const ref = (await answer.json()) as PoolRef;
  if (ref.key !== key) {
    throw new StackStartError(
      `The shared stack pool at ${ref.url} was started for other options (key ${String(ref.key)}, this package's is ${key}): it is never reused. ` +
        `Run the package through the same \`pnpm suite\` options, or unset ${SHARED_STACK_ENV} to start its own stack.`,
    );
  }
  fs.mkdirSync(path.dirname(trafficLogPath), { recursive: true });
  fs.writeFileSync(trafficLogPath, "");
  const res = await poolRequest(`${ref.url}/pool/stacks`, { method: "POST", body: JSON.stringify({ name }) });
  if (res.status !== 201) throw new StackStartError(`The shared stack pool at ${ref.url} could not start a stack for ${name}: ${res.status} ${await res.text()}. Its log: ${ref.log}`);
  const { id, url } = (await res.json()) as { id: string; url: string };
  const watch = watchGroup(ref.pid, `the suite's shared embedded stack pool (process group ${ref.pid})`, ref.log);
  return {
    baseUrl: url,
    description: `stack ${id} at ${url} from the suite's shared embedded stack pool at ${ref.url} (log: ${ref.log})`,
    close: async () => {
      watch.stop();
      // A pool that is gone took its stacks with it.
      await poolRequest(`${ref.url}/pool/stacks/${encodeURIComponent(id)}`, { method: "DELETE" }).catch(() => {});
    },
    onDeath: (listener) => watch.onDeath((message) => void suiteRunStopping(value).then((stopping) => stopping || listener(message))),
  };
}
