import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { StackStartError } from "../errors.js";
import { reachesProvider } from "../inference-mode.js";
import type { RunOptions } from "../options.js";
import { logsDir } from "./log.js";
import { acquireModelServer, loadRecording } from "./modules.js";
import { dependencyDir } from "./path-lookup.js";
import { onFreePort } from "./ports.js";
import { startManagedProcess, type ManagedProcess } from "./process-group.js";
import { modelProviders, planProxy, toolReplayEnv } from "./provider-routes.js";
import { TEMP_DIR_TOKEN } from "./supervisor.js";
import type { RunningStack } from "./types.js";
import { startUpstreamWebMirror } from "./upstream-web-mirror.js";

const EMBEDDED_STACK_PACKAGE = "@llama-stack-tests/embedded-stack";

export interface EmbeddedStartOptions {
  options: RunOptions;
  /** Env of the stack process before provider URLs are pointed at the proxy. */
  env: NodeJS.ProcessEnv;
  /** True when LLAMA_CPP_URL came from the setup (not the caller): the model server backs it. */
  useModelServer: boolean;
  startTimeoutMs?: number;
  /** Log file stem under the logs dir (default: embedded-stack-<port>). */
  logName?: string;
  /** Where the proxy logs each provider request's outcome (see trafficLogPath in start.ts). */
  trafficLogPath?: string;
}

/** dist/cli.js of the embedded stack, or a StackStartError with the build command. */
export function embeddedStackCli(): string {
  const dir = dependencyDir(EMBEDDED_STACK_PACKAGE);
  const cli = dir && path.join(dir, "dist", "cli.js");
  if (!cli || !fs.existsSync(cli)) {
    throw new StackStartError(
      `The embedded stack is not built (${cli ?? `${EMBEDDED_STACK_PACKAGE} not found`}). ` +
        `Build it: pnpm turbo run build --filter=${EMBEDDED_STACK_PACKAGE}`,
    );
  }
  return cli;
}

/** Runs `close` functions in reverse order, keeping the first error. */
async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  let first: unknown;
  for (const close of closers.reverse()) {
    try {
      await close();
    } catch (e) {
      first ??= e;
    }
  }
  if (first) throw first;
}

/** What the stacks of a run talk to instead of their providers: the recording proxy (and model server, web mirror). */
export interface ProviderSide {
  /** Env of a stack process: provider URLs at the proxy, tool replay, URL mirrors. */
  stackEnv: Record<string, string>;
  description: string;
  close(): Promise<void>;
}

export interface ProviderSideOptions {
  options: RunOptions;
  env: NodeJS.ProcessEnv;
  useModelServer: boolean;
  /** The proxy's own traffic log. */
  trafficLogPath?: string;
  /**
   * Several stacks behind one proxy: each stack's provider URLs carry `~<tag>` (tagToken in stackEnv,
   * which the stack's owner replaces with the stack's name), and the tag's requests go to this log.
   */
  tagged?: { tagToken: string; trafficLogPathFor: (tag: string) => string };
}

/** Starts the recording proxy (and in record/live modes of the embedded setup the model server behind its llama-cpp route) and the web mirror. */
async function startProviderSide(opts: ProviderSideOptions): Promise<ProviderSide> {
  const { options } = opts;
  const closers: (() => Promise<void>)[] = [];
  try {
    const recording = await loadRecording();
    const forwarding = reachesProvider(options.inferenceMode);
    const overrides: Record<string, string> = {};
    let modelServerNote = "";
    if (forwarding && opts.useModelServer) {
      const modelServer = await acquireModelServer();
      closers.push(() => modelServer.release());
      overrides["llama-cpp"] = modelServer.url;
      modelServerNote = `, model server at ${modelServer.url}`;
    }
    const plan = planProxy(recording.DEFAULT_PROVIDER_ROUTES, opts.env, forwarding, overrides, modelProviders(options.models));
    const proxy = await recording.startRecordingProxy({
      mode: options.inferenceMode,
      recordingsDir: options.recordingsDir,
      providers: plan.routes,
      host: "127.0.0.1",
      port: 0,
      ...(opts.trafficLogPath ? { trafficLogPath: opts.trafficLogPath } : {}),
      ...(opts.tagged ? { trafficLogPathFor: opts.tagged.trafficLogPathFor } : {}),
    });
    closers.push(() => proxy.close());
    const webMirror = await startUpstreamWebMirror(options.rootDir, opts.env);
    if (webMirror) closers.push(() => webMirror.close());
    const proxyBase = opts.tagged ? `${proxy.url}/${recording.TAG_PREFIX}${opts.tagged.tagToken}` : proxy.url;
    return {
      stackEnv: { ...plan.stackEnv(proxyBase), ...toolReplayEnv(proxyBase, opts.env, forwarding), ...webMirror?.stackEnv },
      description:
        `recording proxy at ${proxy.url} (${options.inferenceMode}, routes: ${plan.routes.map((r) => r.name).join(", ") || "none"})${modelServerNote}` +
        (webMirror ? `, ${webMirror.description}` : ""),
      close: () => closeAll(closers),
    };
  } catch (e) {
    await closeAll(closers).catch(() => {});
    throw e;
  }
}

export interface EmbeddedProcessOptions {
  /** What it is, for messages. */
  name: string;
  /** dist/cli.js of the embedded stack (embeddedStackCli). */
  cli: string;
  /** Arguments after port, host and data dir. */
  args: string[];
  logFileFor: (port: number) => string;
  env: NodeJS.ProcessEnv;
  rootDir: string;
  startTimeoutMs?: number;
}

/**
 * The embedded stack's CLI as a supervised child on a free 127.0.0.1 port. Its supervisor owns the
 * data dir (a pool's too): removed when the process is gone, even if this process is killed.
 */
function startEmbeddedProcess(opts: EmbeddedProcessOptions): Promise<ManagedProcess> {
  return onFreePort((port) =>
    startManagedProcess({
      name: opts.name,
      command: process.execPath,
      args: [opts.cli, "--port", String(port), "--host", "127.0.0.1", "--data-dir", TEMP_DIR_TOKEN, ...opts.args],
      tempDir: path.join(os.tmpdir(), "embedded-stack-"),
      env: opts.env,
      cwd: opts.rootDir,
      logFile: opts.logFileFor(port),
      baseUrl: `http://127.0.0.1:${port}`,
      startTimeoutMs: opts.startTimeoutMs ?? 60_000,
    }),
  );
}

/** The provider side and one embedded-stack process behind it, stopped together. */
export interface StackBehindProviders {
  proc: ManagedProcess;
  providers: ProviderSide;
  close(): Promise<void>;
}

/** Starts the provider side, then the stack's CLI with the provider side's env; neither outlives a failed start. */
export async function startBehindProviders(
  side: ProviderSideOptions,
  stack: Omit<EmbeddedProcessOptions, "cli" | "env" | "rootDir">,
): Promise<StackBehindProviders> {
  // Resolved first: a missing build fails before anything starts.
  const cli = embeddedStackCli();
  const providers = await startProviderSide(side);
  try {
    const proc = await startEmbeddedProcess({ ...stack, cli, env: { ...side.env, ...providers.stackEnv }, rootDir: side.options.rootDir });
    return { proc, providers, close: () => closeAll([() => providers.close(), () => proc.stop()]) };
  } catch (e) {
    await providers.close().catch(() => {});
    throw e;
  }
}

/**
 * The embedded stack as a child process behind the recording proxy; in record/live modes of the
 * embedded setup the model server answers the proxy's llama-cpp route.
 */
export async function startEmbedded(opts: EmbeddedStartOptions): Promise<RunningStack> {
  const { options } = opts;
  const { proc, providers, close } = await startBehindProviders(
    {
      options,
      env: opts.env,
      useModelServer: opts.useModelServer,
      ...(opts.trafficLogPath ? { trafficLogPath: opts.trafficLogPath } : {}),
    },
    {
      name: "embedded stack",
      args: [],
      logFileFor: (port) => path.join(logsDir(options.rootDir), `embedded-stack-${opts.logName ?? port}.log`),
      ...(opts.startTimeoutMs ? { startTimeoutMs: opts.startTimeoutMs } : {}),
    },
  );
  return {
    baseUrl: proc.baseUrl,
    description: `embedded stack at ${proc.baseUrl} (log: ${proc.logFile}), ${providers.description}`,
    close,
    onDeath: (listener) => proc.onDeath(listener),
  };
}
