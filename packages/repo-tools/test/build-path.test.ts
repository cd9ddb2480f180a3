import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findRepoRoot } from "../src/files.js";

const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
const packages = fs.readdirSync(path.join(root, "packages")).filter((p) => fs.existsSync(path.join(root, "packages", p, "tsup.config.ts")));

describe("the build every test waits for", () => {
  // Type declarations made a cold build of the harness packages 10x slower (2m24s vs 12s on the
  // loaded 2-core machine); nothing at run time reads them. Typecheck reads the sources instead.
  it.each(packages)("%s: tsup emits no type declarations; its types are its sources", (p) => {
    const dir = path.join(root, "packages", p);
    expect(fs.readFileSync(path.join(dir, "tsup.config.ts"), "utf8")).not.toMatch(/\bdts\s*:/);
    const manifest = fs.readFileSync(path.join(dir, "package.json"), "utf8");
    expect(manifest).not.toContain(".d.ts");
    for (const [, file] of manifest.matchAll(/"types": "\.\/([^"]+)"/g)) expect(fs.existsSync(path.join(dir, file!)), file).toBe(true);
  });
});
