import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findRepoRoot } from "../src/files.js";

const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
const configs = fs
  .readdirSync(path.join(root, "packages"))
  .map((p) => path.join("packages", p, "vitest.config.ts"))
  .filter((f) => fs.existsSync(path.join(root, f)));

/** The test files of a package, recursively (fixture packages included: their children are processes too). */
function testSources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === "node_modules") return [];
    const p = path.join(dir, e.name);
    return e.isDirectory() ? testSources(p) : /\.(ts|mjs)$/.test(e.name) ? [p] : [];
  });
}

const spawning = fs
  .readdirSync(path.join(root, "packages"))
  .filter((p) => testSources(path.join(root, "packages", p, "test")).some((f) => /from "node:child_process"/.test(fs.readFileSync(f, "utf8"))));

describe("vitest configs", () => {
  // Child processes (CLIs, scripts, git, servers) on a 2-core machine turbo shares with every package's
  // tests took up to 2.9 s per test in `pnpm test`: too close to vitest's 5 s default to be a deadline.
  it.each(spawning)("packages/%s: tests that start processes have a raised test timeout", (pkg) => {
    const file = path.join(root, "packages", pkg, "vitest.config.ts");
    expect(fs.existsSync(file), `packages/${pkg} has no vitest.config.ts`).toBe(true);
    expect(fs.readFileSync(file, "utf8")).toMatch(/testTimeout\s*:/);
  });

  // A hook doing a test's work (start a server, run a nested vitest) under vitest's 10 s default hook
  // timeout made `pnpm test` depend on the machine's load.
  it.each(configs)("%s: a raised test timeout raises the hook timeout too", (file) => {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    if (/testTimeout\s*:/.test(text)) expect(text).toMatch(/hookTimeout\s*:/);
  });
});
