import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startFakeStack } from "./fake-stack.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, "fixtures", "api-package");
const VITEST = path.join(here, "..", "node_modules", "vitest", "vitest.mjs");

interface ReportedTest {
  id: string;
  status: string;
  skipReason?: string;
  error?: string;
  skippedAssertions: { capability: string; reason: string }[];
  gates?: { file: string; line: number; capability: string; executed: boolean }[];
  assertions?: number;
}

describe("defineApiConfig + upstreamTest in a real vitest run", () => {
  it("names tests by upstream id, sends the id in provider data, skips with reasons, reports skipped assertions", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "stack-selftest-"));
    const { stack, env } = await startFakeStack(tmp);
    try {
      const run = spawnSync(process.execPath, [VITEST, "run", "--root", FIXTURE], { env, encoding: "utf8" });
      // Exactly one case fails: the known failure that passed.
      expect(run.status, run.stdout + run.stderr).toBe(1);
      const report = JSON.parse(fs.readFileSync(path.join(tmp, "selftest", "conformance.json"), "utf8")) as { tests: ReportedTest[] };
      const byId = new Map(report.tests.map((t) => [t.id, t]));
      const base = "txt=llama-cpp/tiny-random-llama:emb=llama-cpp/all-MiniLM-L6-v2:dim=384";
      for (const variant of ["openai_client", "client_with_models"]) {
        for (const c of ["False", "True"]) {
          expect(byId.get(`tests/integration/files/test_sample.py::test_headers[${variant}-${base}-${c}]`)?.status).toBe("passed");
        }
      }
      expect(byId.get("tests/integration/inference/test_sample.py::test_vision")).toMatchObject({
        status: "skipped",
        skipReason: "no vision_model_id set for setup embedded: pass --vision-model=...",
      });
      expect(byId.get("tests/integration/inference/test_sample.py::test_needs_tools")).toMatchObject({
        status: "skipped",
        skipReason: "setup embedded lacks tool_calling",
      });
      expect(byId.get("tests/integration/inference/test_sample.py::TestX::test_quality[txt=llama-cpp/tiny-random-llama]")).toMatchObject({
        status: "passed",
        skippedAssertions: [{ capability: "answer_quality", reason: "which planet has rings" }],
        assertions: 2,
      });
      const gates = byId.get("tests/integration/inference/test_sample.py::TestX::test_quality[txt=llama-cpp/tiny-random-llama]")?.gates ?? [];
      expect(gates.map((g) => [g.file, g.capability, g.executed])).toEqual([
        ["packages/stack/test/fixtures/api-package/test/sample.test.ts", "answer_quality", false],
        ["packages/stack/test/fixtures/api-package/test/sample.test.ts", "structured_output", true],
      ]);
      expect(byId.get("tests/integration/inference/test_sample.py::test_known_failure")).toMatchObject({
        status: "skipped",
        skipReason: "known failure: the stack rejects it (400 rejected)",
      });
      expect(byId.get("tests/integration/inference/test_sample.py::test_known_failure_passing")).toMatchObject({ status: "failed" });
      expect(byId.get("tests/integration/inference/test_sample.py::test_known_failure_passing")?.error).toContain("remove knownFailure from the spec");
      expect(byId.get("tests/integration/inference/test_sample.py::test_sdk")?.status).toBe("passed");
      expect(report.tests).toHaveLength(10);
    } finally {
      await stack.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
