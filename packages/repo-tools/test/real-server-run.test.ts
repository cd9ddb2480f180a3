import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect, it } from "vitest";
import { findRepoRoot } from "../src/files.js";

const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "real-server-run-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * real_server_suite with `pnpm` replaced by a shell function (a test double of the suite run) that
 * appends `logText` to the server's log and exits 0, as a --write-fidelity-baseline run does.
 */
function runSuite(logText: string): { status: number | null; calls: number; stdout: string } {
  const script = `
set -uo pipefail
. "${path.join(root, "scripts", "lib", "real-server-run.sh")}"
pnpm() { echo call >> calls; cat log-text >> .llama-stack-tests/logs/llama-stack-8399.log; return 0; }
mkdir -p .llama-stack-tests/logs
real_server_suite 8399 --suite=base
`;
  fs.writeFileSync(path.join(dir, "log-text"), logText);
  const r = spawnSync("bash", ["-c", script], { cwd: dir, encoding: "utf8" });
  const calls = fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n").length : 0;
  return { status: r.status, calls, stdout: r.stdout };
}

it("runs the suite once more when the server's log shows its SQLite pool ran out, however long the log", () => {
  // A long log after the match: an early-exiting grep under pipefail made the check fail silently.
  const log = `TimeoutError: QueuePool limit of size 5 overflow 10 reached\n${"INFO request served\n".repeat(50_000)}`;
  const r = runSuite(log);
  expect(r.stdout).toContain("running it once more on a fresh server");
  expect(r.calls).toBe(2);
  expect(r.status).toBe(0);
});

it("runs the suite once when the pool held", () => {
  const r = runSuite("INFO request served\n".repeat(50_000));
  expect(r.calls).toBe(1);
  expect(r.stdout).not.toContain("once more");
});
