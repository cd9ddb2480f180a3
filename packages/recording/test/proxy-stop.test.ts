import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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
    for (let i = 0; i < 600 && !/listening on/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
    const child = Number(out.split("\n")[0]);
    try {
      expect(alive(child)).toBe(true);
      parent.kill("SIGKILL");
      for (let i = 0; i < 200 && alive(child); i++) await new Promise((r) => setTimeout(r, 50));
      expect(alive(child)).toBe(false);
    } finally {
      parent.kill("SIGKILL");
      if (alive(child)) process.kill(child, "SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
