import path from "node:path";
import { FORCE_RESTART_ENV } from "../env-names.js";
import { StackStartError } from "../errors.js";
import { isHealthy } from "./health.js";
import { logsDir } from "./log.js";
import { findOnPath } from "./path-lookup.js";
import { pidFilePath, readPidFile, removePidFile, writePidFile } from "./pid-file.js";
import { isPortFree } from "./ports.js";
import { startManagedProcess } from "./process-group.js";
import type { RunningStack } from "./types.js";

export interface ServerStartOptions {
  /** `llama stack run` argument: a distro, a run.yaml, or distro::run-file.yaml. */
  config: string;
  port: number;
  rootDir: string;
  /** Full env of the server process. */
  env: NodeJS.ProcessEnv;
  /** Stop a server this harness started earlier on the port (LLAMA_STACK_TEST_FORCE_SERVER_RESTART=1). */
  forceRestart: boolean;
  startTimeoutMs?: number;
  /** The command to run instead of `llama` (tests). */
  command?: { command: string; args: string[] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stops the process group recorded in the pid file, if it still runs. */
async function stopRecorded(pidFile: string): Promise<void> {
  const pid = readPidFile(pidFile);
  removePidFile(pidFile);
  if (!pid) return;
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(-pid, "SIGTERM");
  for (let i = 0; i < 100 && alive(); i++) await sleep(50);
  if (alive()) process.kill(-pid, "SIGKILL");
}

/**
 * A Llama Stack server on 127.0.0.1:<port>: reused when one already answers /v1/health there,
 * else started with `llama stack run <config> --port <port>` and stopped (its whole process
 * group) on close, exit or signal.
 */
export async function startServer(opts: ServerStartOptions): Promise<RunningStack> {
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const pidFile = pidFilePath(opts.rootDir, opts.port);
  if (opts.forceRestart) {
    await stopRecorded(pidFile);
    // Only processes this harness started are stopped; anything else on the port is the user's.
    if (!(await isPortFree(opts.port))) {
      throw new StackStartError(
        `${FORCE_RESTART_ENV}=1 but port ${opts.port} is held by a process this harness did not start. Stop it yourself, or unset ${FORCE_RESTART_ENV} to reuse it.`,
      );
    }
  }

  if (await isHealthy(baseUrl)) {
    return { baseUrl, description: `reusing the healthy stack already on port ${opts.port}`, close: async () => {} };
  }
  if (!(await isPortFree(opts.port))) {
    throw new StackStartError(
      `Port ${opts.port} is in use but ${baseUrl}/v1/health does not answer 200. Stop whatever holds it, ` +
        `or pick another port with --stack-config=server:${opts.config.includes("::") ? "<config>" : opts.config}:<port>` +
        (opts.config.includes("::") ? " (or LLAMA_STACK_PORT for the distro::file form)" : ""),
    );
  }

  let command = opts.command;
  if (!command) {
    if (!findOnPath("llama", opts.env.PATH)) {
      throw new StackStartError(
        "`llama` is not on PATH, so --stack-config=server:... cannot start a Llama Stack server. " +
          "Install it (`pip install llama-stack` or `uv pip install llama-stack`), pass the URL of a running stack " +
          "(--stack-config=http://localhost:8321), or use --stack-config=embedded.",
      );
    }
    command = { command: "llama", args: ["stack", "run", opts.config, "--port", String(opts.port)] };
  }

  const logFile = path.join(logsDir(opts.rootDir), `llama-stack-${opts.port}.log`);
  const proc = await startManagedProcess({
    name: `llama stack server (${opts.config})`,
    command: command.command,
    args: command.args,
    env: opts.env,
    cwd: opts.rootDir,
    logFile,
    baseUrl,
    startTimeoutMs: opts.startTimeoutMs ?? 120_000,
    hint: `Check that config '${opts.config}' exists and its providers are reachable.`,
  });
  writePidFile(pidFile, proc.pid);
  return {
    baseUrl,
    description: `started \`${[command.command, ...command.args].join(" ")}\` (log: ${logFile})`,
    close: async () => {
      await proc.stop();
      removePidFile(pidFile);
    },
  };
}
