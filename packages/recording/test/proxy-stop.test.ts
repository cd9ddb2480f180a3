import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { assertBuilt, CLI } from "./cli-run.js";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("recordings proxy stopping", () => {
  it("stops when its parent is gone (pnpm getting SIGTERM does not pass it on)", async () => {
    assertBuilt();
    const dir = mkdtempSync(join(tmpdir(), "proxy-orphan-"));
    const source = `const c = require("node:child_process").spawn(process.execPath, ${JSON.stringify([CLI, "proxy", "--dir", dir, "--port", "0"])}, { stdio: ["ignore", "inherit", "ignore"] }); console.log(c.pid); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ["-e", source], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    parent.stdout.on("data", (d: Buffer) => (out += d.toString()));
    // Deadlines inside the test's 60 s timeout, not counts of tries: a loaded machine may take seconds.
    await vi.waitFor(() => expect(out).toMatch(/listening on/), { timeout: 25_000, interval: 50 });
    const child = Number(out.split("\n")[0]);
    try {
      expect(alive(child)).toBe(true);
      parent.kill("SIGKILL");
      await vi.waitFor(() => expect(alive(child)).toBe(false), { timeout: 25_000, interval: 50 });
    } finally {
      parent.kill("SIGKILL");
      if (alive(child)) process.kill(child, "SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
