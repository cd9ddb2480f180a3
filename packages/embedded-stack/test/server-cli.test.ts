import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it, vi } from "vitest";

const CLI = join(import.meta.dirname, "../dist/cli.js");

describe("embedded-stack CLI", () => {
  it.skipIf(!existsSync(CLI))("prints one ready line with the real port, serves, and exits 0 on SIGTERM (skipped until `pnpm build`)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "embedded-stack-cli-"));
    const child = spawn(process.execPath, [CLI, "--port", "0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH } });
    try {
      const lines: string[] = [];
      const rl = createInterface({ input: child.stdout });
      const first = await new Promise<string>((resolve, reject) => {
        rl.once("line", resolve);
        child.once("exit", (code) => reject(new Error(`CLI exited with ${code} before it was ready`)));
      });
      rl.on("line", (l) => lines.push(l));
      const match = /^embedded-stack listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(first);
      expect(match).not.toBeNull();
      const port = Number(match?.[1]);
      expect(port).toBeGreaterThan(0);
      const health = await fetch(`http://127.0.0.1:${port}/v1/health`);
      expect(await health.json()).toEqual({ status: "OK" });
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(lines).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.skipIf(!existsSync(CLI))("exits 1 naming the file when --config cannot be read", async () => {
    const missing = join(tmpdir(), "embedded-stack-no-such-run.yaml");
    const child = spawn(process.execPath, [CLI, "--port", "0", "--config", missing], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(`Invalid run config ${missing}: cannot read it`);
  });

  it.skipIf(!existsSync(CLI))("rejects a bad port with a message naming the flag", async () => {
    const child = spawn(process.execPath, [CLI, "--port", "http"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("--port must be an integer");
  });
});

/** Runs `node <cli> <args>` under a parent node process (as pnpm runs a script); resolves with both pids. */
function underParent(cli: string, args: string[], env: NodeJS.ProcessEnv) {
  const source = `const c = require("node:child_process").spawn(process.execPath, ${JSON.stringify([cli, ...args])}, { stdio: "ignore" }); console.log(c.pid); setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ["-e", source], { stdio: ["ignore", "pipe", "inherit"], env });
  return new Promise<{ parent: typeof parent; child: number }>((resolve) => parent.stdout.once("data", (d: Buffer) => resolve({ parent, child: Number(d.toString()) })));
}

/** Polls for a process's start or end well inside the test's 30 s timeout. */
const UNTIL_SETTLED = { timeout: 25_000, interval: 50 };

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("embedded-stack CLI stopping", () => {
  it.skipIf(!existsSync(CLI))("stops and removes the data dir it made when its parent is gone (pnpm does not pass SIGTERM on)", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "embedded-stack-orphan-"));
    const { parent, child } = await underParent(CLI, ["--port", "0"], { PATH: process.env.PATH, TMPDIR: tmp });
    try {
      // Deadlines, not counts of tries: a loaded machine may take seconds to start or stop the stack.
      await vi.waitFor(() => expect(readdirSync(tmp).filter((n) => n.startsWith("embedded-stack-"))).toHaveLength(1), UNTIL_SETTLED);
      parent.kill("SIGKILL");
      await vi.waitFor(() => expect([alive(child), readdirSync(tmp)]).toEqual([false, []]), UNTIL_SETTLED);
    } finally {
      parent.kill("SIGKILL");
      if (alive(child)) process.kill(child, "SIGKILL");
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
