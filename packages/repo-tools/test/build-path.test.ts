import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findRepoRoot } from "../src/files.js";

const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
const manifests = fs
  .readdirSync(path.join(root, "packages"))
  .map((p) => ({ name: p, file: path.join(root, "packages", p, "package.json") }))
  .filter(({ file }) => fs.existsSync(file))
  .map(({ name, file }) => ({ name, dir: path.dirname(file), manifest: JSON.parse(fs.readFileSync(file, "utf8")) as { scripts?: Record<string, string>; types?: string } }))
  .filter(({ manifest }) => manifest.scripts?.build !== undefined);

describe("the build every test waits for", () => {
  // Type declarations made a cold build of the harness packages 10x slower, and tsup's own start-up
  // cost about three times esbuild's for each of the dozen builds every test run waits for.
  it.each(manifests.map((m) => [m.name, m] as const))("%s: builds with the shared esbuild script; its types are its sources", (_name, { dir, manifest }) => {
    expect(manifest.scripts!.build).toMatch(/^node \.\.\/\.\.\/scripts\/build-package\.mjs /);
    const text = fs.readFileSync(path.join(dir, "package.json"), "utf8");
    expect(text).not.toContain(".d.ts");
    for (const [, file] of text.matchAll(/"types": "\.\/([^"]+)"/g)) expect(fs.existsSync(path.join(dir, file!)), file).toBe(true);
  });

  it("covers every harness package", () => {
    expect(manifests.length).toBeGreaterThanOrEqual(12);
  });
});

describe("scripts/build-package.mjs", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [path.join(root, "scripts", "build-package.mjs"), ...args], { cwd: path.join(root, "packages", "setups"), encoding: "utf8" });

  it("rejects an unknown option and a missing entry with one line and exit 2", () => {
    for (const [args, message] of [[["--outdir=x", "src/index.ts"], /Unknown option '--outdir'/], [["src/nope.ts"], /entry src\/nope.ts does not exist/], [[], /no entry given/]] as const) {
      const result = run(...args);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });

  it("prints its usage on --help", () => {
    const result = run("--help");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: build-package.mjs/);
  });
});

describe("scripts and a stale install", () => {
  // turbo runs a script in many packages at once; pnpm's default installs before each when the
  // lockfile moved, and those concurrent installs left native modules (better-sqlite3) unbuilt.
  it("fail with pnpm's 'run pnpm install' instead of installing from every script at once", () => {
    expect(fs.readFileSync(path.join(root, "pnpm-workspace.yaml"), "utf8")).toMatch(/^verifyDepsBeforeRun: error$/m);
  });
});
