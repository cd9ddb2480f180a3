import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { baselineOf, checkBaseline, compareRuns, ParityError, renderParityMarkdown, takeSnapshot, validateClassifications, type RunSnapshot } from "../src/index.js";

const snap = (stack: string, outcomes: RunSnapshot["outcomes"], wallSeconds?: number): RunSnapshot => ({
  stack,
  stackConfig: stack === "embedded" ? "embedded" : "server:stacks/run.yaml",
  setup: "embedded",
  suite: "base",
  ...(wallSeconds !== undefined ? { wallSeconds } : {}),
  apis: Object.fromEntries(Object.keys(outcomes).map((id) => [id, "files"])),
  outcomes,
});

describe("compareRuns", () => {
  const a = "tests/integration/files/test_files.py::test_a";
  const b = "tests/integration/files/test_files.py::test_b[x]";
  const c = "tests/integration/files/test_files.py::test_c";

  it("marks same-status tests as agreeing and classifies disagreements by id or upstream function", () => {
    const left = snap("embedded", { [a]: { status: "passed" }, [b]: { status: "passed" }, [c]: { status: "skipped", detail: "no route" } }, 10);
    const right = snap("real-server", { [a]: { status: "passed" }, [b]: { status: "failed", detail: "404" } }, 25);
    const report = compareRuns(left, right, {
      "tests/integration/files/test_files.py::test_b": { class: "embedded-stack defect", evidence: "the server answers 404" },
    });
    expect(report.totals).toMatchObject({ tests: 3, agree: 1, disagree: 2, unclassified: 1, byClass: { "embedded-stack defect": 1 } });
    expect(report.rows.find((r) => r.id === b)?.classification?.class).toBe("embedded-stack defect");
    const onlyLeft = report.rows.find((r) => r.id === c)!;
    expect(onlyLeft.agree).toBe(false);
    expect(onlyLeft.right).toBeUndefined();
    const md = renderParityMarkdown(report);
    expect(md).toContain("Same outcome on both stacks: 1 of 3 (33.3%)");
    expect(md).toContain("ratio 2.50x");
    expect(md).toContain("**unclassified**");
  });

  it("refuses to compare different suites or setups", () => {
    expect(() => compareRuns(snap("embedded", {}), { ...snap("real-server", {}), setup: "ollama" })).toThrow(ParityError);
  });

  it("rejects a classification outside the four classes or without evidence", () => {
    expect(() => validateClassifications({ [a]: { class: "flaky", evidence: "x" } }, "p.json")).toThrow(/use one of: embedded-stack defect/);
    expect(() => validateClassifications({ [a]: { class: "port defect", evidence: " " } }, "p.json")).toThrow(/needs its evidence/);
  });
});

describe("takeSnapshot", () => {
  it("reads each API's conformance report and refuses one from another run", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parity-"));
    try {
      fs.mkdirSync(path.join(dir, "files"));
      const report = {
        environment: { stackConfig: "embedded", setup: "embedded" },
        tests: [{ id: "t1", status: "failed", error: "\nboom\nstack" }, { id: "t2", status: "skipped", skipReason: "why" }],
        fileErrors: [],
      };
      fs.writeFileSync(path.join(dir, "files", "conformance.json"), JSON.stringify(report));
      const input = { reportsDir: dir, apis: ["files"], stack: "embedded", stackConfig: "embedded", setup: "embedded", suite: "base" };
      const s = takeSnapshot(input);
      expect(s.outcomes).toEqual({ t1: { status: "failed", detail: "boom" }, t2: { status: "skipped", detail: "why" } });
      expect(() => takeSnapshot({ ...input, stackConfig: "server:x" })).toThrow(/is from another run/);
      expect(() => takeSnapshot({ ...input, apis: ["files", "batches"] })).toThrow(/batches package did not report/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("outcome baselines", () => {
  const s = (outcomes: RunSnapshot["outcomes"]): RunSnapshot => ({ stack: "real-server", stackConfig: "server:x", setup: "embedded", suite: "base", apis: {}, outcomes });

  it("lists a run's passing tests and holds a later run to them", () => {
    const baseline = baselineOf(s({ b: { status: "passed" }, a: { status: "passed" }, c: { status: "failed" } }));
    expect(baseline).toMatchObject({ suite: "base", passed: ["a", "b"], counts: { passed: 2, failed: 1, skipped: 0 } });
    expect(checkBaseline(s({ a: { status: "passed" }, b: { status: "passed" }, c: { status: "passed" } }), baseline, "f.json")).toEqual({ lost: [], gained: 1 });
    expect(checkBaseline(s({ a: { status: "passed" }, b: { status: "skipped" } }), baseline, "f.json")).toEqual({ lost: ["b"], gained: 0 });
  });

  it("refuses the baseline of another suite", () => {
    const baseline = { ...baselineOf(s({})), suite: "responses" };
    expect(() => checkBaseline(s({}), baseline, "f.json")).toThrow(/baseline of suite responses, not base/);
  });
});
