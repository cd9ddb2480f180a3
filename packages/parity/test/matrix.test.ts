import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildMatrix, ParityError, renderMatrixHtml, renderMatrixMarkdown, writeJsonAtomic, type RunSnapshot } from "../src/index.js";

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), "../dist/cli.js");
const files = "tests/integration/files/test_files.py::test_upload";
const tools = "tests/integration/tool_runtime/test_rag.py::test_rag";
const scoring = "tests/integration/scoring/test_scoring.py::test_score";

const snap = (stack: string, outcomes: RunSnapshot["outcomes"]): RunSnapshot => ({
  stack,
  stackConfig: `server:stacks/${stack}.yaml`,
  setup: "embedded",
  suite: "base",
  apis: { [files]: "files", [tools]: "tool_runtime", [scoring]: "scoring" },
  outcomes,
});

const v04 = snap("llama-stack@0.4.0", { [files]: { status: "passed" }, [tools]: { status: "passed" }, [scoring]: { status: "failed", detail: "500 | boom" } });
const v07 = snap("llama-stack@0.7.3", { [files]: { status: "passed" }, [tools]: { status: "skipped", detail: "removed in llama-stack 0.7.0 (toolgroups and the tool runtime API)" }, [scoring]: { status: "failed", detail: "500" } });
const ogx = snap("ogx@1.5.0", { [files]: { status: "passed" }, [tools]: { status: "skipped", detail: "removed in llama-stack 0.7.0" } });

describe("version matrix", () => {
  it("lines up each test's outcome per target and marks the rows that change", () => {
    const m = buildMatrix([v04, v07, ogx]);
    expect(m.targets.map((t) => [t.label, t.counts])).toEqual([
      ["llama-stack@0.4.0", { passed: 2, failed: 1, skipped: 0 }],
      ["llama-stack@0.7.3", { passed: 1, failed: 1, skipped: 1 }],
      ["ogx@1.5.0", { passed: 1, failed: 0, skipped: 1 }],
    ]);
    expect(m.totals).toEqual({ tests: 3, changed: 2 });
    expect(m.rows.map((r) => [r.api, r.changed])).toEqual([["files", false], ["scoring", true], ["tool_runtime", true]]);
    expect(m.rows.find((r) => r.id === scoring)!.outcomes[2]).toBeUndefined();
    const md = renderMatrixMarkdown(m);
    expect(md).toContain("| test | llama-stack@0.4.0 | llama-stack@0.7.3 | ogx@1.5.0 |");
    expect(md).toContain("| scoring (1) | 0 / 1 / 0 | 0 / 1 / 0 | 0 / 0 / 0 |");
    expect(md).toContain(`| **changed** ${scoring} | FAIL: 500 \\| boom | FAIL: 500 | not run |`);
    expect(md).toContain(`| ${files} | pass | pass | pass |`);
    const html = renderMatrixHtml(m);
    expect(html).toContain('<tr class="changed"><td>tests/integration/tool_runtime/test_rag.py::test_rag</td><td class="passed">pass</td><td class="skipped" title="removed in llama-stack 0.7.0 (toolgroups and the tool runtime API)">');
    expect(html).toContain('<td class="notrun">not run</td>');
  });

  it("refuses fewer than two targets or a mix of suites", () => {
    expect(() => buildMatrix([v04])).toThrow(ParityError);
    expect(() => buildMatrix([v04, { ...v07, suite: "responses" }])).toThrow(/a matrix compares one suite and setup/);
  });

  it("the CLI writes json, md and html from saved snapshots, and rejects unknown options", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matrix-"));
    try {
      for (const s of [v04, v07, ogx]) writeJsonAtomic(path.join(dir, "snaps", `base-embedded-${s.stack}.json`), s);
      const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
      const r = run("matrix", "--suite", "base", "--setup", "embedded", "--stacks", "llama-stack@0.4.0,llama-stack@0.7.3,ogx@1.5.0",
        "--snapshots", path.join(dir, "snaps"), "--reports-dir", dir);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain("version matrix base/embedded: llama-stack@0.4.0 2 / 1 / 0; llama-stack@0.7.3 1 / 1 / 1; ogx@1.5.0 1 / 0 / 1 (passed / failed / skipped); 2 of 3 tests change between targets");
      for (const ext of ["json", "md", "html"]) expect(fs.existsSync(path.join(dir, `version-matrix-base-embedded.${ext}`))).toBe(true);
      const missing = run("matrix", "--suite", "base", "--setup", "embedded");
      expect(missing.status).toBe(2);
      expect(missing.stderr).toContain("--stacks is required");
      const unknown = run("matrix", "--suite", "base", "--setup", "embedded", "--stackz", "x");
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toContain("Unknown option '--stackz'");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
