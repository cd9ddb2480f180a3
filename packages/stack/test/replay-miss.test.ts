import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findRepoRoot } from "@llama-stack-tests/setups";
import { describe, expect, it } from "vitest";
import { dependencyDir } from "../src/lifecycle/path-lookup.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, "fixtures", "replay-miss-package");
const VITEST = path.join(here, "..", "node_modules", "vitest", "vitest.mjs");
const API = "selftest-replay-miss";

describe("a replay miss on the project's own recordings", () => {
  it("fails the test that caused it with the readable miss report, even when the test tolerated the error", (ctx) => {
    const dir = dependencyDir("@llama-stack-tests/embedded-stack");
    if (!dir || !fs.existsSync(path.join(dir, "dist", "cli.js"))) ctx.skip("needs the built embedded stack: pnpm turbo run build");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "stack-replay-miss-"));
    const env: NodeJS.ProcessEnv = { ...process.env, SELFTEST_REPORTS_DIR: tmp };
    for (const key of Object.keys(env)) if (key.startsWith("LLAMA_STACK_TEST_") || key === "LLAMA_CPP_URL") delete env[key];
    try {
      const run = spawnSync(process.execPath, [VITEST, "run", "--root", FIXTURE], { env, encoding: "utf8" });
      expect(run.status, run.stdout + run.stderr).not.toBe(0);
      const report = JSON.parse(fs.readFileSync(path.join(tmp, API, "conformance.json"), "utf8")) as { tests: { status: string; error?: string }[] };
      expect(report.tests).toHaveLength(1);
      expect(report.tests[0]!.status).toBe("failed");
      const error = report.tests[0]!.error!;
      expect(error).toMatch(/^ReplayMissError: 1 provider request\(s\) of this test have no recording:\nRecording not found for request hash [0-9a-f]{64}\n {2}test id: {2}tests\/integration\/inference\/test_selftest_miss\.py::test_unrecorded/);
      expect(error).toContain("\n  to record it: LLAMA_STACK_TEST_INFERENCE_MODE=record-if-missing");
      expect(error).not.toContain("\\n");
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.rmSync(path.join(findRepoRoot(), "reports", API), { recursive: true, force: true });
    }
  }, 120_000);
});
