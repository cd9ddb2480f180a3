import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startVitest } from "vitest/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConformanceReporter, runState, STACK_DIED_REASON, type ApiReport, type TestRecord } from "../src/index.js";

const fixtureRoot = path.resolve(import.meta.dirname, "fixtures/api");
const FILE = "tests/integration/demo/test_demo.py";
const NOW = new Date("2025-01-02T03:04:05.000Z");

let reportsDir: string;
let report: ApiReport;

function test(id: string): TestRecord {
  const found = report.tests.find((t) => t.id === id);
  if (!found) throw new Error(`no test ${id} in report: ${report.tests.map((t) => t.id).join(", ")}`);
  return found;
}

beforeAll(async () => {
  reportsDir = await mkdtemp(path.join(tmpdir(), "conformance-report-"));
  const reporter = new ConformanceReporter({ api: "demo", reportsDir, now: () => NOW, environment: { setup: "embedded", inferenceMode: "replay" } });
  const exitCode = process.exitCode;
  const vitest = await startVitest("test", [], {
    root: fixtureRoot,
    config: false,
    include: ["**/*.fixture.ts"],
    watch: false,
    reporters: [reporter],
  });
  await vitest.close();
  // The fixture run fails on purpose; that must not fail this run.
  process.exitCode = exitCode;
  report = JSON.parse(await readFile(path.join(reportsDir, "demo", "conformance.json"), "utf8")) as ApiReport;
});

afterAll(() => rm(reportsDir, { recursive: true, force: true }));

describe("reporter on a real vitest run", () => {
  it("records header fields", () => {
    expect(report).toMatchObject({ schemaVersion: 1, api: "demo", generatedAt: NOW.toISOString(), environment: { setup: "embedded", inferenceMode: "replay" } });
  });

  it("uses the vitest test name as id and repo-relative files", () => {
    const t = test(`${FILE}::test_passes[openai_client-txt=llama-cpp/tiny-llama]`);
    expect(t.status).toBe("passed");
    expect(t.file).toBe("packages/report/test/fixtures/api/basic.fixture.ts");
    expect(t.upstreamFunction).toBe(`${FILE}::test_passes`);
    expect(t.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("records failures with the error message", () => {
    const t = test(`${FILE}::test_fails`);
    expect(t.status).toBe("failed");
    expect(t.error).toMatch(/one is not two/);
  });

  it("takes skip reasons from ctx.skip(note)", () => {
    expect(test(`${FILE}::test_dynamic_skip`)).toMatchObject({ status: "skipped", skipReason: "requires a vision model; the setup has none" });
  });

  it("flags static skips without a reason and todos", () => {
    expect(test(`${FILE}::test_static_skip`)).toMatchObject({ status: "skipped", skipReason: "skipped without a reason" });
    expect(test(`${FILE}::test_todo`)).toMatchObject({ status: "skipped", skipReason: "todo" });
  });

  it("reads skipped assertions from task.meta", () => {
    expect(test(`${FILE}::test_with_skipped_assertions[case_a]`).skippedAssertions).toEqual([
      { capability: "answer_quality", reason: "tiny random model cannot answer" },
      { capability: "tool_calling", reason: "no reliable tool calling" },
    ]);
    expect(test(`${FILE}::test_passes[client_with_models-txt=llama-cpp/tiny-llama]`).skippedAssertions).toEqual([]);
  });

  it("reports tests whose beforeAll failed as failed, with the setup error", () => {
    const t = test("tests/integration/demo/test_other.py::test_never_runs");
    expect(t.status).toBe("failed");
    expect(t.error).toMatch(/^setup failed: .*stack did not start on port 1/);
  });

  it("records files that fail to import", () => {
    expect(report.fileErrors).toEqual([
      { file: "packages/report/test/fixtures/api/broken.fixture.ts", message: expect.stringMatching(/cannot import the test table/) },
    ]);
  });

  it("keeps non-upstream tests but not as upstream functions", () => {
    expect(test("local helper test <not upstream> & co").upstreamFunction).toBeNull();
  });

  it("summarizes counts, reasons and function coverage", () => {
    expect(report.summary).toMatchObject({
      tests: 11,
      passed: 6,
      failed: 2,
      skipped: 3,
      errors: 1,
      skippedAssertions: 3,
      skippedByReason: expect.arrayContaining([
        { reason: "requires a vision model; the setup has none", count: 1 },
        { reason: "skipped without a reason", count: 1 },
        { reason: "todo", count: 1 },
      ]),
      skippedAssertionsByReason: [
        { capability: "answer_quality", reason: "tiny random model cannot answer", count: 2 },
        { capability: "tool_calling", reason: "no reliable tool calling", count: 1 },
      ],
      // test_passes (2 cases), test_fails, test_dynamic_skip, test_static_skip, test_todo,
      // test_with_skipped_assertions (2 cases), TestClass::test_method, test_other::test_never_runs
      upstreamFunctions: { covered: 8, passing: 3, total: null },
    });
  });

  it("writes markdown, html and junit next to the json", async () => {
    const dir = path.join(reportsDir, "demo");
    const md = await readFile(path.join(dir, "conformance.md"), "utf8");
    expect(md).toContain("# Conformance: demo");
    expect(md).toContain("| 6 | 2 | 3 | 1 | 3 |");
    expect(md).toContain("- 2 × answer_quality: tiny random model cannot answer");
    const html = await readFile(path.join(dir, "conformance.html"), "utf8");
    expect(html).toContain('<tr class="failed">');
    expect(html).toContain("local helper test &lt;not upstream&gt; &amp; co");
    const junit = await readFile(path.join(dir, "junit.xml"), "utf8");
    expect(junit).toMatch(/<testsuites name="demo conformance" tests="11" failures="2" errors="1" skipped="3"/);
    expect(junit).toContain('<skipped message="requires a vision model; the setup has none"/>');
  });

  it("writes only its own API's report: the run's CLI merges the run's APIs", () => {
    expect(existsSync(path.join(reportsDir, "conformance.json"))).toBe(false);
  });
});

describe("reporter after the stack under test died", () => {
  let died: ApiReport;
  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "conformance-died-"));
    // As the stack lifecycle records it when the stack's process exits mid-run (here: before every test).
    runState().stackDied = { at: 0, message: "embedded stack exited with code 137; log: x.log" };
    try {
      const exitCode = process.exitCode;
      const vitest = await startVitest("test", [], {
        root: fixtureRoot,
        config: false,
        include: ["**/*.fixture.ts"],
        watch: false,
        reporters: [new ConformanceReporter({ api: "demo", reportsDir: dir, now: () => NOW, environment: {} })],
      });
      await vitest.close();
      process.exitCode = exitCode;
      died = JSON.parse(await readFile(path.join(dir, "demo", "conformance.json"), "utf8")) as ApiReport;
    } finally {
      delete runState().stackDied;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports failures after the death as not run, says so once, and counts it as an error", () => {
    expect(died.stackDied).toBe("embedded stack exited with code 137; log: x.log");
    expect(died.summary.failed).toBe(0);
    expect(died.summary.errors).toBe(2); // the fixture's file error, plus the dead stack
    expect(died.tests.filter((t) => t.skipReason === STACK_DIED_REASON).length).toBeGreaterThan(0);
    expect(died.tests.some((t) => t.status === "passed")).toBe(true);
  });
});
