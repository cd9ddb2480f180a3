import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mergeReports, notRunReport, recordSkippedAssertion, ReportError, summarize, upstreamFunctionOf, writeApiReport, type ApiReport, type TestRecord } from "../src/index.js";
import { runCli } from "../src/cli-main.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "conformance-merge-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function report(api: string, tests: TestRecord[]): ApiReport {
  return { schemaVersion: 1, api, generatedAt: "2025-01-01T00:00:00.000Z", environment: {}, summary: summarize(api, tests), fileErrors: [], tests };
}

const passed = (id: string): TestRecord => ({ id, upstreamFunction: upstreamFunctionOf(id), file: "t.ts", status: "passed", durationMs: 1, skippedAssertions: [] });

describe("mergeReports", () => {
  it("merges per-API reports and lists every upstream API", async () => {
    await writeApiReport(report("files", [passed("tests/integration/files/test_files.py::test_a")]), dir);
    await writeApiReport(report("prompts", [passed("a local test")]), dir);
    const { report: merged, files } = await mergeReports(dir);
    expect(merged.apis.map((a) => a.api)).toContain("vector_io");
    expect(merged.apis.find((a) => a.api === "files")).toMatchObject({ reported: true, summary: { passed: 1, upstreamFunctions: { covered: 1, total: 6 } } });
    expect(merged.apis.find((a) => a.api === "prompts")).toMatchObject({ reported: true, summary: { upstreamFunctions: { total: null } } });
    expect(merged.apis.find((a) => a.api === "vector_io")).toMatchObject({ reported: false, summary: { tests: 0, upstreamFunctions: { total: 37 } } });
    expect(merged.totals.upstreamFunctions).toEqual({ covered: 1, passing: 1, total: 221 });
    const onDisk = JSON.parse(await readFile(files.json, "utf8"));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(merged)));
    expect(await readFile(files.markdown, "utf8")).toContain("| files | partial | 1 | 0 | 0 |");
    expect(existsSync(path.join(dir, "index.html"))).toBe(true);
  });

  it("names a reports dir that does not exist", async () => {
    await expect(mergeReports(path.join(dir, "missing"))).rejects.toThrow(/reports dir .*missing does not exist/);
  });

  it("merges only the given APIs, so another run's report on disk stays out", async () => {
    await writeApiReport(report("files", [passed("tests/integration/files/test_files.py::test_a")]), dir);
    await writeApiReport({ ...report("responses", []), summary: { ...summarize("responses", []), failed: 1 } }, dir);
    const { report: merged } = await mergeReports(dir, { apis: ["files"] });
    expect(merged.totals.failed).toBe(0);
    expect(merged.apis.find((a) => a.api === "responses")).toMatchObject({ reported: false });
  });

  it("names a corrupt report and the fix", async () => {
    await mkdir(path.join(dir, "files"), { recursive: true });
    await writeFile(path.join(dir, "files", "conformance.json"), "{ nope");
    await expect(mergeReports(dir)).rejects.toThrow(ReportError);
    await expect(mergeReports(dir)).rejects.toThrow(/files[/\\]conformance.json.*rerun that API's tests/);
  });
});

describe("conformance-report CLI", () => {
  it("merges the given reports dir and prints a summary", async () => {
    await writeApiReport(report("files", [passed("tests/integration/files/test_files.py::test_a")]), dir);
    const out: string[] = [];
    const code = await runCli(["--reports-dir", dir], dir, (l) => out.push(l), (l) => out.push(l));
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^1\/\d+ APIs reported: 1 passed, 0 failed, 0 skipped, 0 skipped assertions; upstream functions 1 \/ 221/);
    expect(existsSync(path.join(dir, "conformance.json"))).toBe(true);
  });

  it("refuses reports of different run configurations, naming each API's stamp", async () => {
    await writeApiReport({ ...report("files", []), environment: { setup: "embedded", commit: "a".repeat(40) } }, dir);
    await writeApiReport({ ...report("responses", []), environment: { setup: "gpt", stackConfig: "server:starter" } }, dir);
    const out: string[] = [];
    expect(await runCli(["--reports-dir", dir], dir, () => {}, (l) => out.push(l))).toBe(1);
    expect(out.join("\n")).toMatch(/mix 2 run configurations/);
    expect(out.join("\n")).toContain("files: stack embedded, setup embedded, mode replay, commit aaaaaaaaaaaa, at 2025-01-01T00:00:00.000Z");
    expect(out.join("\n")).toContain("responses: stack server:starter, setup gpt, mode replay");
    expect(await readFile(path.join(dir, "index.html"), "utf8")).toContain("These reports mix 2 runs");
    // One run's APIs merge cleanly.
    expect(await runCli(["--reports-dir", dir, "--apis", "files"], dir, () => {}, () => {})).toBe(0);
  });

  it("a package that could not test is an error in every format and a non-zero exit", async () => {
    await writeApiReport(notRunReport("files", "No Llama Stack answers at http://127.0.0.1:9/v1/health.", { setup: "embedded" }), dir);
    const out: string[] = [];
    const errors: string[] = [];
    expect(await runCli(["--reports-dir", dir], dir, (l) => out.push(l), (l) => errors.push(l))).toBe(1);
    expect(out.at(-1)).toBe("conformance: 0 passed, 0 failed, 0 skipped, 1 errors");
    expect(errors).toEqual(["conformance-report: not run (files): No Llama Stack answers at http://127.0.0.1:9/v1/health."]);
    expect(await readFile(path.join(dir, "files", "junit.xml"), "utf8")).toMatch(/errors="1"[\s\S]*not run: No Llama Stack answers/);
    expect(await readFile(path.join(dir, "conformance.md"), "utf8")).toContain("| files | could not run |");
  });

  it("rejects unknown flags, stray arguments and a missing reports dir with one line", async () => {
    for (const argv of [["--reports-dirr", dir], ["x"], ["--reports-dir", path.join(dir, "nope")]]) {
      const errors: string[] = [];
      expect(await runCli(argv, dir, () => {}, (l) => errors.push(l))).toBe(1);
      expect(errors).toHaveLength(1);
      expect(errors[0]).not.toContain("\n");
    }
  });

  it("fails with a message outside the monorepo", async () => {
    const errors: string[] = [];
    expect(await runCli([], tmpdir(), () => {}, (l) => errors.push(l))).toBe(1);
    expect(errors[0]).toMatch(/no pnpm-workspace.yaml above .*pass reportsDir/);
  });

  const bin = path.resolve(import.meta.dirname, "../dist/cli.js");
  it.skipIf(!existsSync(bin))("built bin runs", async () => {
    await writeApiReport(report("files", []), dir);
    const { stdout } = await promisify(execFile)(process.execPath, [bin, "--reports-dir", dir]);
    expect(stdout).toMatch(/APIs reported/);
  });
});

describe("recordSkippedAssertion", () => {
  it("appends to task.meta", () => {
    const task = { meta: {} as { skippedAssertions?: { capability: string; reason: string }[] } };
    recordSkippedAssertion(task, "vision", "no vision model");
    recordSkippedAssertion(task, "answer_quality", "tiny");
    expect(task.meta.skippedAssertions).toEqual([
      { capability: "vision", reason: "no vision model" },
      { capability: "answer_quality", reason: "tiny" },
    ]);
  });

  it("requires a reason", () => {
    expect(() => recordSkippedAssertion({ meta: {} }, "vision", "")).toThrow(/needs a capability and a reason/);
  });
});
