import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findRepoRoot } from "../src/files.js";

const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
const FIXED_WAIT = /\bsleep\(\s*[1-9]\d{3,}\s*\)|setTimeout\([^)]*,\s*[1-9]\d{3,}\s*\)/;

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? testFiles(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

describe("API package tests", () => {
  // Upstream sleeps 1-2 s where a slow server may need it; a fixed wait costs every run that time.
  // Poll for the state (pollUntil) or wait for the next second (untilSecondAfter) instead.
  it("wait for a state, never for a fixed second or more", () => {
    const apis = path.join(root, "packages", "apis");
    const offending = fs
      .readdirSync(apis)
      .flatMap((api) => (fs.existsSync(path.join(apis, api, "test")) ? testFiles(path.join(apis, api, "test")) : []))
      .flatMap((file) => fs.readFileSync(file, "utf8").split("\n").flatMap((line, i) => (FIXED_WAIT.test(line) ? [`${path.relative(root, file)}:${i + 1}: ${line.trim()}`] : [])));
    expect(offending).toEqual([]);
  });
});
