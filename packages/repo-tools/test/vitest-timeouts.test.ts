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

describe("vitest configs", () => {
  // A hook doing a test's work (start a server, run a nested vitest) under vitest's 10 s default hook
  // timeout made `pnpm test` depend on the machine's load.
  it.each(configs)("%s: a raised test timeout raises the hook timeout too", (file) => {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    if (/testTimeout\s*:/.test(text)) expect(text).toMatch(/hookTimeout\s*:/);
  });
});
