/** Runs the built CLI (dist/cli.js) as a real child process. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI = join(dirname(fileURLToPath(import.meta.url)), "../dist/cli.js");

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run pnpm --filter @llama-stack-tests/recording build first`);
}

export function runCli(args: string[], input?: string): { code: number; out: string; err: string } {
  assertBuilt();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", input });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Starts `recordings proxy ...` and resolves with its URL once it prints the listening line. */
export function startCliProxy(args: string[]): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  assertBuilt();
  const child = spawn(process.execPath, [CLI, "proxy", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    child.on("exit", (code) => reject(new Error(`proxy exited with ${code}: ${err}`)));
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        resolve({
          url: m[1]!,
          child,
          stop: () => new Promise<void>((done) => {
            child.removeAllListeners("exit");
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
        });
      }
    });
  });
}
