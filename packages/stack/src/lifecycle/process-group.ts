import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { StackStartError } from "../errors.js";
import { isHealthy } from "./health.js";
import { tailFile } from "./log.js";
import { SUPERVISOR_SOURCE, TEMP_DIR_PREFIX_ENV } from "./supervisor.js";

export interface ManagedProcessOptions {
  /** What it is, for messages: "llama stack server", "embedded stack". */
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr are appended here. */
  logFile: string;
  /** Polled at <baseUrl>/v1/health until 200. */
  baseUrl: string;
  startTimeoutMs: number;
  /** Extra hint appended to start-up failures. */
  hint?: string;
  /**
   * mkdtemp prefix of a temp dir the process gets (TEMP_DIR_TOKEN in `args` and `env` values stands
   * for it). Its supervisor creates it and removes it once the process is gone, however it ended.
   */
  tempDir?: string;
}

export interface ManagedProcess {
  pid: number;
  baseUrl: string;
  logFile: string;
  /** Stops the whole process group: SIGTERM, then SIGKILL after the grace period. */
  stop(): Promise<void>;
  /**
   * Calls `listener` once if the process exits before stop() was asked: the stack under test died.
   * The message names it, how it ended, and its log's path and tail.
   */
  onDeath(listener: (message: string) => void): void;
}

const STOP_GRACE_MS = 5_000;
const POLL_MS = 200;

/** Process groups this process started and has not stopped yet. */
const live = new Set<number>();
let handlersInstalled = false;
/** Set when this process stops them all (a signal, its exit): a group that then ends did not die. */
let stoppingAll = false;

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

/** True while the process `pid` runs (one we may not signal counts as running). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True while any process of the group led by `pid` runs. */
export function groupAlive(pid: number): boolean {
  return killGroup(pid, 0 as unknown as NodeJS.Signals);
}

/** Kill every live group when this process exits or is interrupted: no orphans. */
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // SIGTERM, not SIGKILL: the supervisor outlives its command to remove the command's temp dir
  // (and kills the group itself if the command ignores SIGTERM).
  process.on("exit", () => {
    stoppingAll = true;
    for (const pid of live) killGroup(pid, "SIGTERM");
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = () => {
      stoppingAll = true;
      for (const pid of live) killGroup(pid, "SIGTERM");
      process.off(signal, onSignal);
      // Others (vitest) handle the signal themselves; alone, restore the default: exit by it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stopGroup(child: ChildProcess, pid: number): Promise<void> {
  if (!live.has(pid)) return;
  const exited = child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => child.once("exit", () => r()));
  killGroup(pid, "SIGTERM");
  const deadline = Date.now() + STOP_GRACE_MS;
  // The grace timer must not outlive a prompt exit: a pending timer keeps the caller's process alive.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, STOP_GRACE_MS)))]);
  clearTimeout(timer);
  // The leader may be gone while its children linger: wait for the whole group.
  while (groupAlive(pid) && Date.now() < deadline) await sleep(50);
  if (groupAlive(pid)) killGroup(pid, "SIGKILL");
  live.delete(pid);
}

function startError(opts: ManagedProcessOptions, problem: string): StackStartError {
  const tail = tailFile(opts.logFile);
  return new StackStartError(
    `${opts.name} failed to start: ${problem}.\n` +
      `Command: ${[opts.command, ...opts.args].join(" ")}\n` +
      `Log: ${opts.logFile}${tail ? `\n--- last lines ---\n${tail}\n---` : " (empty)"}` +
      (opts.hint ? `\n${opts.hint}` : ""),
  );
}

/**
 * Starts a server as the leader of its own process group, logging to a file, and resolves once
 * GET /v1/health answers 200. Fails with the log's tail when it exits or misses the deadline.
 */
export async function startManagedProcess(opts: ManagedProcessOptions): Promise<ManagedProcess> {
  installExitHandlers();
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = fs.openSync(opts.logFile, "w");
  let child: ChildProcess;
  try {
    // The supervisor leads a new process group (kill(-pid) reaches every descendant) and stops
    // it when the pipe on its stdin closes, i.e. when this process is gone.
    child = spawn(process.execPath, ["-e", SUPERVISOR_SOURCE, opts.command, ...opts.args], {
      cwd: opts.cwd,
      env: opts.tempDir ? { ...opts.env, [TEMP_DIR_PREFIX_ENV]: opts.tempDir } : opts.env,
      detached: true,
      stdio: ["pipe", fd, fd],
    });
  } finally {
    fs.closeSync(fd);
  }
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  const pid = child.pid;
  if (pid === undefined) throw startError(opts, `spawn failed (${(await spawnError).message})`);
  live.add(pid);
  child.unref();
  // Hold the pipe open without keeping this process alive; it closes when this process exits.
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  child.stdin?.on("error", () => {}); // nothing is written; a closed pipe is not an error here

  let exit: string | undefined;
  let stopping = false;
  let started = false;
  const deathListeners: ((message: string) => void)[] = [];
  child.once("exit", (code, signal) => {
    exit = signal ? `it was killed by ${signal}` : `it exited with code ${code}`;
    if (!started || stopping || stoppingAll) return;
    const tail = tailFile(opts.logFile, 20);
    const message = `${opts.name} (pid ${pid}) died mid-run: ${exit}.\nLog: ${opts.logFile}${tail ? `\n--- last lines ---\n${tail}\n---` : " (empty)"}`;
    for (const listener of deathListeners.splice(0)) listener(message);
  });
  const handle: ManagedProcess = {
    pid,
    baseUrl: opts.baseUrl,
    logFile: opts.logFile,
    stop: () => {
      stopping = true;
      return stopGroup(child, pid);
    },
    onDeath: (listener) => void deathListeners.push(listener),
  };

  const deadline = Date.now() + opts.startTimeoutMs;
  for (;;) {
    if (exit) {
      await handle.stop();
      throw startError(opts, exit);
    }
    if (await isHealthy(opts.baseUrl)) {
      started = true;
      return handle;
    }
    if (Date.now() > deadline) {
      await handle.stop();
      throw startError(opts, `${opts.baseUrl}/v1/health did not answer 200 within ${opts.startTimeoutMs / 1000} s`);
    }
    await sleep(POLL_MS);
  }
}

const WATCH_MS = 500;

/**
 * A reused server (or the suite's shared stack) is another process's child: its death is seen by
 * polling its process group, so each package's run can still name it and file the failures after it as not run.
 */
export function watchGroup(pid: number, what: string, logFile: string): { onDeath(listener: (message: string) => void): void; stop(): void } {
  const listeners: ((message: string) => void)[] = [];
  const timer = setInterval(() => {
    if (groupAlive(pid)) return;
    clearInterval(timer);
    const tail = tailFile(logFile, 20);
    const message = `${what} died mid-run.\nLog: ${logFile}${tail ? `\n--- last lines ---\n${tail}\n---` : " (empty)"}`;
    for (const listener of listeners.splice(0)) listener(message);
  }, WATCH_MS);
  timer.unref();
  return { onDeath: (listener) => void listeners.push(listener), stop: () => clearInterval(timer) };
}
