import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findRepoRoot } from "@llama-stack-tests/setups";
import { describe, expect, it } from "vitest";
import { processAlive as alive } from "../src/lifecycle/process-group.js";
import { startFakeStack } from "./fake-stack.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, "fixtures", "orphan-package");
const VITEST = path.join(here, "..", "node_modules", "vitest", "vitest.mjs");

async function until(check: () => boolean, withinMs: number): Promise<boolean> {
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) if (check()) return true;
  return check();
}

describe("kill -9 of an API package's vitest", () => {
  it("takes its test workers with it (they kept running, orphaned, for minutes)", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "stack-orphan-"));
    const { stack, env } = await startFakeStack(tmp);
    const vitest = spawn(process.execPath, [VITEST, "run", "--root", FIXTURE], { env, stdio: "ignore" });
    let worker: number | undefined;
    try {
      const pidFile = path.join(tmp, "worker.pid");
      expect(await until(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8") !== "", 60_000)).toBe(true);
      const [workerPid, parentPid] = fs.readFileSync(pidFile, "utf8").split(" ").map(Number);
      worker = workerPid!;
      expect(parentPid).toBe(vitest.pid);
      expect(alive(worker)).toBe(true);
      vitest.kill("SIGKILL");
      expect(await until(() => !alive(worker!), 20_000)).toBe(true);
    } finally {
      vitest.kill("SIGKILL");
      if (worker && alive(worker)) process.kill(worker, "SIGKILL");
      await stack.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.rmSync(path.join(findRepoRoot(), "reports", "selftest-orphan"), { recursive: true, force: true });
    }
  }, 120_000);
});
