import fs from "node:fs";
import path from "node:path";
import { FORCE_RESTART_ENV } from "../env-names.js";
import { StackStartError } from "../errors.js";
import { DEFAULT_TARGET, parseServerTarget, serverVar, type ServerTarget } from "../server-targets.js";
import { isHealthy } from "./health.js";
import { logsDir } from "./log.js";
import { findOnPath } from "./path-lookup.js";
import { pidFilePath, readPidFile, removePidFile, writePidFile } from "./pid-file.js";
import { isPortFree } from "./ports.js";
import { groupAlive, startManagedProcess, watchGroup } from "./process-group.js";
import { OTEL_INSTRUMENT_COMMAND, OTLP_ENDPOINT_ENV } from "./telemetry-env.js";
import { TEMP_DIR_TOKEN } from "./supervisor.js";
import type { RunningStack } from "./types.js";

export interface ServerStartOptions {
  /** `<cli> stack run` argument: a distro, a run.yaml, or distro::run-file.yaml. */
  config: string;
  /** The product and version to run (its venv, command and variable names); default llama-stack@0.4.0. */
  target?: ServerTarget;
  port: number;
  rootDir: string;
  /** Full env of the server process. */
  env: NodeJS.ProcessEnv;
  /** Stop a server this harness started earlier on the port (LLAMA_STACK_TEST_FORCE_SERVER_RESTART=1). */
  forceRestart: boolean;
  startTimeoutMs?: number;
  /** The command to run instead of the target's `llama` / `ogx` (tests). */
  command?: { command: string; args: string[] };
  /**
   * Digest of the options the server is started for. A healthy server on the port is reused only
   * when this harness started it with the same key; anything else there is an error.
   */
  reuseKey?: string;
}

/**
 * The target's CLI in its project venv (scripts/install-real-server.sh) when installed; else, for the
 * default target only, a `llama` on PATH (another version on PATH must not pass for a pinned one).
 */
export function findServerCommand(rootDir: string, target: ServerTarget, pathEnv: string | undefined): string | undefined {
  const venvCli = path.join(rootDir, ".venvs", target.venv, "bin", target.cli);
  if (fs.existsSync(venvCli)) return venvCli;
  return target.id === DEFAULT_TARGET ? findOnPath(target.cli, pathEnv) : undefined;
}

/** The plain-text log (LLAMA_STACK_LOG_FILE) of the server on `port`: one line per record, no wrapping. */
export function serverRecordLogPath(rootDir: string, port: number): string {
  return path.join(logsDir(rootDir), `llama-stack-${port}.records.log`);
}

/**
 * `llama stack run` under `opentelemetry-instrument` from the same venv, as upstream's telemetry
 * change runs it: the server's env asks for telemetry, and only the instrumented process sends any.
 */
function instrumented(command: { command: string; args: string[] }): { command: string; args: string[] } {
  const instrument = path.join(path.dirname(command.command), OTEL_INSTRUMENT_COMMAND);
  if (!fs.existsSync(instrument)) {
    throw new StackStartError(
      `${OTLP_ENDPOINT_ENV} is set, so the server must run under ${OTEL_INSTRUMENT_COMMAND}, which is not installed next to ${command.command}. ` +
        "Run `bash scripts/setup.sh --real-server` (it installs the pinned OpenTelemetry distro and instrumentations), or unset " +
        `${OTLP_ENDPOINT_ENV}.`,
    );
  }
  return { command: instrument, args: [command.command, ...command.args] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long a busy server of this run's own may take to answer its health check before it counts as not answering. */
const BUSY_SERVER_HEALTH_TIMEOUT_MS = 60_000;

/** Stops the process group recorded in the pid file, if it still runs. */
async function stopRecorded(pidFile: string): Promise<void> {
  const pid = readPidFile(pidFile)?.pid;
  removePidFile(pidFile);
  if (!pid || !groupAlive(pid)) return;
  process.kill(-pid, "SIGTERM");
  for (let i = 0; i < 100 && groupAlive(pid); i++) await sleep(50);
  if (groupAlive(pid)) process.kill(-pid, "SIGKILL");
}

/**
 * A Llama Stack server on 127.0.0.1:<port>, started with `llama stack run <config> --port <port>`
 * on fresh storage (LLAMA_STACK_TESTS_STATE_DIR, SQLITE_STORE_DIR, FILES_STORAGE_DIR) and stopped,
 * its whole process group, on close, exit or signal. A healthy server already there is reused only
 * when this harness started it for the same options (`reuseKey`).
 */
export async function startServer(opts: ServerStartOptions): Promise<RunningStack> {
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const pidFile = pidFilePath(opts.rootDir, opts.port);
  const reuseKey = opts.reuseKey ?? opts.config;
  const target = opts.target ?? parseServerTarget(DEFAULT_TARGET);
  const portHint = `--stack-config=server:${opts.config.includes("::") ? "<config>" : opts.config}:<port>` +
    (opts.config.includes("::") ? " (or LLAMA_STACK_PORT for the distro::file form)" : "");
  if (opts.forceRestart) {
    await stopRecorded(pidFile);
    // Only processes this harness started are stopped; anything else on the port is the user's.
    if (!(await isPortFree(opts.port))) {
      throw new StackStartError(
        `${FORCE_RESTART_ENV}=1 but port ${opts.port} is held by a process this harness did not start. Stop it yourself, or pick another port with ${portHint}.`,
      );
    }
  }

  const ours = readPidFile(pidFile);
  const oursAlive = ours !== undefined && groupAlive(ours.pid);
  // A server this harness started for these options may be busy with another package's request (one
  // event loop): its health answer is then waited for, not judged by the short probe's timeout.
  const healthy = (await isHealthy(baseUrl)) ||
    (oursAlive && ours.key === reuseKey && (await isHealthy(baseUrl, BUSY_SERVER_HEALTH_TIMEOUT_MS)));
  if (healthy) {
    if (oursAlive && ours.key === reuseKey) {
      const watch = watchGroup(ours.pid, `the server this harness started on port ${opts.port} (process group ${ours.pid})`, path.join(logsDir(opts.rootDir), `llama-stack-${opts.port}.log`));
      return {
        baseUrl,
        description: `reusing the server this harness started on port ${opts.port} for the same options`,
        close: async () => watch.stop(),
        onDeath: watch.onDeath,
      };
    }
    if (oursAlive) {
      throw new StackStartError(
        `Port ${opts.port} has a server this harness started for other options (another setup, mode or config). ` +
          `Let that run finish, set ${FORCE_RESTART_ENV}=1 to replace it, or pick another port with ${portHint}.`,
      );
    }
    throw new StackStartError(
      `A stack this harness did not start answers on port ${opts.port}; it is never reused silently. ` +
        `To test it, pass --stack-config=${baseUrl}; otherwise stop it or pick another port with ${portHint}.`,
    );
  }
  if (oursAlive && ours.key === reuseKey) {
    throw new StackStartError(
      `The server this harness started on port ${opts.port} for these options did not answer ${baseUrl}/v1/health within ` +
        `${BUSY_SERVER_HEALTH_TIMEOUT_MS / 1000} s (hung or overloaded); see ${path.join(logsDir(opts.rootDir), `llama-stack-${opts.port}.log`)}, ` +
        `or set ${FORCE_RESTART_ENV}=1 to replace it.`,
    );
  }
  if (!(await isPortFree(opts.port))) {
    throw new StackStartError(
      `Port ${opts.port} is in use but ${baseUrl}/v1/health does not answer 200. Stop whatever holds it, or pick another port with ${portHint}.`,
    );
  }

  let command = opts.command;
  if (!command) {
    const cli = findServerCommand(opts.rootDir, target, opts.env.PATH);
    if (!cli) {
      throw new StackStartError(
        `\`${target.cli}\` of ${target.id} is not installed (.venvs/${target.venv}), so --stack-config=server:... cannot start it. ` +
          `Run \`bash scripts/setup.sh --real-server=${target.id}\` (pinned, in .venvs/, needs Python >= 3.12)` +
          `${target.id === DEFAULT_TARGET ? " or put your own `llama` on PATH" : ""}; or pass the URL of a running stack (--stack-config=http://localhost:8321), or use --stack-config=embedded.`,
      );
    }
    command = { command: cli, args: ["stack", "run", opts.config, "--port", String(opts.port), ...target.runArgs] };
    if (opts.env[OTLP_ENDPOINT_ENV]) command = instrumented(command);
  }

  // Fresh storage for every server (SQLite stores, files, vector indexes), owned by its supervisor:
  // removed when the server is gone, however the run ended.
  const stateRoot = path.join(opts.rootDir, ".llama-stack-tests", "state");
  const recordLog = serverRecordLogPath(opts.rootDir, opts.port);
  fs.mkdirSync(path.dirname(recordLog), { recursive: true });
  fs.writeFileSync(recordLog, "");
  const env: NodeJS.ProcessEnv = {
    LLAMA_STACK_TESTS_STATE_DIR: TEMP_DIR_TOKEN,
    SQLITE_STORE_DIR: TEMP_DIR_TOKEN,
    FILES_STORAGE_DIR: path.join(TEMP_DIR_TOKEN, "files"),
    [serverVar(target, "LOG_FILE")]: recordLog,
    // cl100k_base from the venv (scripts/lib/tiktoken-cache.sh); 0.7+ would download it at start.
    TIKTOKEN_CACHE_DIR: path.join(opts.rootDir, ".venvs", target.venv, "tiktoken-cache"),
    ...opts.env,
  };

  const logFile = path.join(logsDir(opts.rootDir), `llama-stack-${opts.port}.log`);
  const proc = await startManagedProcess({
    name: `${target.id} server (${opts.config})`,
    command: command.command,
    args: command.args,
    env,
    cwd: opts.rootDir,
    logFile,
    baseUrl,
    startTimeoutMs: opts.startTimeoutMs ?? 120_000,
    tempDir: path.join(stateRoot, `server-${opts.port}-`),
    hint: `Check that config '${opts.config}' exists and its providers are reachable. Reproduce with: ` +
      `(cd ${opts.rootDir} && ${[command.command, ...command.args].join(" ")}) (state dir and provider URLs as in the log).`,
  });
  writePidFile(pidFile, { pid: proc.pid, key: reuseKey });
  return {
    baseUrl,
    description: `started \`${[command.command, ...command.args].join(" ")}\` (log: ${logFile})`,
    close: async () => {
      await proc.stop();
      removePidFile(pidFile);
    },
    onDeath: (listener) => proc.onDeath(listener),
  };
}
