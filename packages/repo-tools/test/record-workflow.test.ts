import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { findRepoRoot } from "../src/files.js";

const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
const SCRIPT = path.join(root, "scripts", "record-remote.sh");

// Test double for the GitHub CLI: records its arguments instead of calling GitHub.
const bin = fs.mkdtempSync(path.join(os.tmpdir(), "fake-gh-"));
const argsFile = path.join(bin, "gh-args");
fs.writeFileSync(path.join(bin, "gh"), `#!/usr/bin/env bash\nprintf '%s\\n' "$@" > "${argsFile}"\n`, { mode: 0o755 });
afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

function dispatch(args: string[], withGh = true) {
  fs.rmSync(argsFile, { force: true });
  const PATH = withGh ? `${bin}:${process.env.PATH}` : "/usr/bin:/bin";
  const r = spawnSync("bash", [SCRIPT, ...args], { env: { ...process.env, PATH }, encoding: "utf8" });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, gh: fs.existsSync(argsFile) ? fs.readFileSync(argsFile, "utf8").trim().split("\n") : undefined };
}

describe("re-recording on GitHub", () => {
  it("record-remote dispatches the record workflow with the packages, setup, mode and branch", () => {
    const r = dispatch(["--apis=inference,agents", "--setup=embedded", "--ref=main"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.gh).toEqual(["workflow", "run", "record.yml", "--ref", "main", "-f", "apis=inference,agents", "-f", "setup=embedded", "-f", "mode=record-if-missing"]);
    expect(r.stdout).toContain("record-remote: dispatched record.yml on main (apis inference,agents, setup embedded, record-if-missing)");
  });

  it.each([
    [["--setup=gpt"], "record-remote: --apis is required (e.g. --apis=inference,agents)"],
    [["--apis=infrence"], "record-remote: 'infrence' is not an API package; valid: agents batches"],
    [["--apis=inference", "--mode=live"], "record-remote: --mode must be record or record-if-missing, not 'live'"],
    [["--apis=inference", "--subdirs=x"], "record-remote: unknown argument '--subdirs=x'"],
  ])("refuses %j before dispatching anything", (args, message) => {
    const r = dispatch(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.gh).toBeUndefined();
  });

  it("names the missing GitHub CLI", (ctx) => {
    if (fs.existsSync("/usr/bin/gh") || fs.existsSync("/bin/gh")) return ctx.skip("a gh is installed in /usr/bin or /bin, so it cannot be hidden from the script");
    const r = dispatch(["--apis=inference"], false);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("record-remote: the GitHub CLI (gh) is not installed");
  });

  it("the workflow takes its keys from secrets into env only, and never interpolates inputs or secrets into a script", () => {
    const text = fs.readFileSync(path.join(root, ".github", "workflows", "record.yml"), "utf8");
    const wf = parse(text) as {
      on: { workflow_dispatch: { inputs: Record<string, { required: boolean; default?: string }> } };
      permissions: Record<string, string>;
      jobs: { record: { steps: { run?: string; env?: Record<string, string> }[] } };
    };
    expect(Object.keys(wf.on.workflow_dispatch.inputs)).toEqual(["apis", "setup", "mode"]);
    expect(wf.permissions).toEqual({ contents: "write", "pull-requests": "write" });
    const steps = wf.jobs.record.steps;
    for (const step of steps) expect(step.run ?? "").not.toMatch(/\$\{\{\s*(inputs|secrets)\./);
    const record = steps.find((s) => s.run?.includes("pnpm suite"))!;
    expect(record.run).toBe('pnpm suite --setup="$SETUP" --inference-mode="$MODE" --filter="$APIS"');
    expect(record.env?.OPENAI_API_KEY).toBe("${{ secrets.OPENAI_API_KEY }}");
    // The key check runs before anything is committed.
    const keyCheck = steps.findIndex((s) => s.run?.includes("grep -rqF"));
    const commit = steps.findIndex((s) => s.run?.includes("git push"));
    expect(keyCheck).toBeGreaterThan(-1);
    expect(keyCheck).toBeLessThan(commit);
  });
});
