import { spawn } from "node:child_process";

export interface ChildGroup {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` to the child's whole process group; SIGKILL to what is left after `graceMs`. */
  stop(signal: NodeJS.Signals, graceMs?: number): Promise<void>;
}

function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a command (turbo) as the leader of a process group of its own, so that stopping the run
 * reaches every process under it (turbo's tasks, their pnpm and vitest), not only the leader.
 */
export function spawnGroup(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): ChildGroup {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: "inherit", detached: true });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal }));
  });
  const pid = child.pid;
  return {
    exited,
    async stop(signal, graceMs = 10_000) {
      if (pid === undefined) return;
      signalGroup(pid, signal);
      const deadline = Date.now() + graceMs;
      while (signalGroup(pid, 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      signalGroup(pid, "SIGKILL");
    },
  };
}
