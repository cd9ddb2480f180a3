import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { spawnGroup } from "../src/child-group.js";
import { processAlive as alive } from "../src/lifecycle/process-group.js";

describe("spawnGroup (how the suite CLI runs turbo)", () => {
  it("stopping reaches every process under the command, not only the command", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "child-group-"));
    const pids = path.join(dir, "pids");
    try {
      // A leader with two grandchildren, as turbo with its tasks' vitest.
      const group = spawnGroup("sh", ["-c", `sleep 300 & echo $! >> ${pids}; sleep 300 & echo $! >> ${pids}; wait`], { cwd: dir, env: process.env });
      // A deadline well inside the test's timeout, not a count of tries: a loaded machine may start them late.
      const children = await vi.waitFor(
        () => {
          const listed = fs.readFileSync(pids, { encoding: "utf8", flag: "a+" }).trim().split("\n").filter(Boolean).map(Number);
          expect(listed).toHaveLength(2);
          return listed;
        },
        { timeout: 25_000, interval: 50 },
      );
      expect(children.every(alive)).toBe(true);
      await group.stop("SIGTERM");
      expect(await group.exited).toMatchObject({ signal: "SIGTERM" });
      expect(children.filter(alive)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
