import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findRepoRoot } from "../src/files.js";

const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
const CLI = path.join(root, "packages", "repo-tools", "dist", "cli.js");
const TURBO = path.join(root, "node_modules", ".bin", "turbo");

let repo: string;
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
  fs.writeFileSync(path.join(repo, rel), text);
};
const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=ci@example.com", "-c", "user.name=ci", ...args], { cwd: repo, encoding: "utf8" });
const suites = (base: string[]) => JSON.stringify({ suites: { base: { packages: base, defaultSetup: "ollama" }, responses: { packages: ["responses"], defaultSetup: "gpt" } } });

/** The test tasks turbo would run with these arguments (a dry run: nothing executes). */
function turboTasks(args: string[]): string[] {
  const r = spawnSync(TURBO, ["run", "test", ...args, "--dry=json"], { cwd: repo, encoding: "utf8", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" } });
  if (r.status !== 0) throw new Error(`turbo failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { tasks: { taskId: string }[] }).tasks.map((t) => t.taskId).sort();
}

const affected = () => execFileSync(process.execPath, [CLI, "affected", "--base", "main"], { cwd: repo, encoding: "utf8" }).trim().split("\n");

beforeEach(() => {
  // A scripted history: a small workspace of API packages, committed on main, changed on a branch.
  repo = fs.mkdtempSync(path.join(os.tmpdir(), "affected-"));
  git("init", "-q", "-b", "main");
  write("package.json", JSON.stringify({ name: "root", private: true, packageManager: "pnpm@12.4.2" }));
  write("pnpm-workspace.yaml", 'packages:\n  - "packages/apis/*"\n');
  write("turbo.json", JSON.stringify({ tasks: { test: { inputs: ["$TURBO_DEFAULT$", "$TURBO_ROOT$/recordings/**", "$TURBO_ROOT$/suites.json"] } } }));
  for (const api of ["files", "inference", "responses"]) {
    write(`packages/apis/${api}/package.json`, JSON.stringify({ name: api, scripts: { test: "true" } }));
    write(`recordings/${api}/a.json`, "{}");
  }
  write("recordings/common/s.json", "{}");
  write("suites.json", suites(["files", "inference"]));
  git("add", "-A");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "change");
});
afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

describe.skipIf(!fs.existsSync(CLI))("repo-tools affected over a scripted git history", () => {
  it("a change to one API's recordings runs that API's package (turbo --affected alone runs nothing)", () => {
    write("recordings/files/a.json", '{"changed": true}');
    git("commit", "-qam", "re-record files");
    expect(turboTasks(["--affected"])).toEqual([]);
    expect(affected()).toEqual(["--filter=...[main]", "--filter=files"]);
    expect(turboTasks(affected())).toEqual(["files#test"]);
  });

  it("a change to suites.json runs the packages of the suites it changed", () => {
    write("suites.json", suites(["files", "inference", "responses"]));
    git("commit", "-qam", "responses joins base");
    expect(turboTasks(["--affected"])).toEqual([]);
    expect(turboTasks(affected())).toEqual(["files#test", "inference#test", "responses#test"]);
  });

  it("session-level recordings serve every API; uncommitted changes count; a package's own change still runs it", () => {
    write("recordings/common/s.json", '{"changed": true}');
    expect(turboTasks(affected())).toEqual(["files#test", "inference#test", "responses#test"]);
    git("checkout", "-q", "--", ".");
    write("packages/apis/inference/x.test.ts", "");
    git("add", "-A");
    git("commit", "-qm", "a test");
    expect(affected()).toEqual(["--filter=...[main]"]);
    expect(turboTasks(affected())).toEqual(["inference#test"]);
  });

  it("names a base that does not exist", () => {
    const r = spawnSync(process.execPath, [CLI, "affected", "--base", "no-such-ref"], { cwd: repo, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^repo-tools: git rev-parse .*no-such-ref/);
  });
});
