import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findRepoRoot } from "../src/files.js";

const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
const scripts = fs.readdirSync(path.join(root, "scripts")).filter((f) => f.endsWith(".sh"));

const run = (script: string, args: string[]) =>
  spawnSync("bash", [path.join("scripts", script), ...args], { cwd: root, encoding: "utf8", timeout: 30_000 });

describe("scripts/*.sh command lines", () => {
  it.each(scripts)("%s --help prints its header and starts nothing", (script) => {
    const r = run(script, ["--help"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n").length).toBeGreaterThan(1);
    expect(r.stdout).not.toMatch(/^#/m);
  });

  // test.sh hands its arguments to turbo, which rejects unknown ones itself.
  it.each(scripts.filter((s) => s !== "test.sh"))("%s rejects an unknown option with one line and exit 2", (script) => {
    const r = run(script, ["--no-such-option"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("--no-such-option");
  });
});
