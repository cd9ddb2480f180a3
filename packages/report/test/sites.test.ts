import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  accountSites,
  byCapability,
  ledgerOf,
  neverExecutedList,
  readLedgers,
  renderSitesMarkdown,
  scanGateSites,
  scanSource,
  sitesVerdict,
  writeLedger,
  type TestRecord,
} from "../src/index.js";

const FILE = "packages/apis/x/test/x.test.ts";
const SOURCE = [
  'if (t.can("answer_quality", `names ${expected}`)) expect(a).toBe(b);',
  "const ok = t.can(",
  '  "vision",',
  '  "the answer, (with commas), names a dog",',
  ");",
  'if (!t.can("tool_calling", SEARCHES)) return;',
  'if (t.can("tool_calling", SEARCHES)) expect(c).toBe(d);',
].join("\n");

function record(id: string, gates: TestRecord["gates"]): TestRecord {
  return { id, upstreamFunction: null, file: FILE, status: "passed", durationMs: 1, skippedAssertions: [], ...(gates ? { gates } : {}) };
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "sites-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("gate sites", () => {
  it("finds each gate with its literal capability, its line and its argument as written; repeats get #n", () => {
    const sites = scanSource(FILE, SOURCE);
    expect(sites.map((s) => [s.line, s.capability, s.what])).toEqual([
      [1, "answer_quality", "`names ${expected}`"],
      [2, "vision", '"the answer, (with commas), names a dog"'],
      [6, "tool_calling", "SEARCHES"],
      [7, "tool_calling", "SEARCHES"],
    ]);
    expect(sites[3]!.id).toBe(`${FILE}: tool_calling SEARCHES #2`);
  });

  it("refuses a gate whose capability is not a literal, naming the line", () => {
    expect(() => scanSource(FILE, "t.can(what, QUALITY)")).toThrow(`${FILE}:1: the capability of a gate must be a string literal`);
  });

  it("scans every API package's test directory", () => {
    mkdirSync(path.join(root, "packages/apis/x/test/support"), { recursive: true });
    writeFileSync(path.join(root, "packages/apis/x/test/x.test.ts"), SOURCE);
    writeFileSync(path.join(root, "packages/apis/x/test/support/h.ts"), 't.can("vision", "v")');
    mkdirSync(path.join(root, "packages/apis/y"), { recursive: true });
    expect(scanGateSites(root).map((s) => `${s.file}:${s.line}`)).toEqual([
      "packages/apis/x/test/support/h.ts:1",
      `${FILE}:1`,
      `${FILE}:2`,
      `${FILE}:6`,
      `${FILE}:7`,
    ]);
  });

  it("adds up the runs' ledgers: a gate counts as executed when some run executed it", async () => {
    const sites = scanSource(FILE, SOURCE);
    const reports = path.join(root, "reports");
    const embedded = ledgerOf("x", { setup: "embedded", stackConfig: "embedded" }, [
      record("a", [{ file: FILE, line: 1, capability: "answer_quality", executed: false }]),
      record("b", [{ file: FILE, line: 6, capability: "tool_calling", executed: false }]),
      record("c", undefined),
      { ...record("d", undefined), assertions: 0 },
      { ...record("e", undefined), assertions: 3 },
    ], new Date(0));
    expect(embedded.passedWithoutAssertions).toEqual(["d"]);
    const ollama = ledgerOf("x", { setup: "ollama", stackConfig: "server:stacks/run.yaml:8341" }, [
      record("a", [{ file: FILE, line: 1, capability: "answer_quality", executed: true }, { file: FILE, line: 99, capability: "vision", executed: true }]),
    ], new Date(0));
    await writeLedger(reports, embedded);
    await writeLedger(reports, ollama);
    const accounting = accountSites(sites, readLedgers(reports));
    expect(accounting.runs).toEqual(["embedded--embedded--x", "ollama--real-server--x"]);
    expect(accounting.sites.map((a) => [a.site.line, a.executedIn, a.skippedIn])).toEqual([
      [1, ["ollama--real-server--x"], ["embedded--embedded--x"]],
      [2, [], []],
      [6, [], ["embedded--embedded--x"]],
      [7, [], []],
    ]);
    expect(accounting.unmatched).toEqual([{ file: FILE, line: 99, capability: "vision", executed: true }]);
    expect(byCapability(accounting)).toEqual([
      { capability: "answer_quality", total: 1, executed: 1 },
      { capability: "tool_calling", total: 2, executed: 0 },
      { capability: "vision", total: 1, executed: 0 },
    ]);

    const list = neverExecutedList(accounting, { sites: [{ id: sites[1]!.id, reason: "no CI setup has vision" }] });
    expect(list.sites.map((s) => s.reason)).toEqual([
      "no CI setup has vision",
      "reached only on setups without tool_calling (embedded--embedded--x)",
      "no run reaches it: its test skips or fails before the gate wherever it runs",
    ]);
    expect(sitesVerdict(accounting, list).ok).toBe(true);
    const md = renderSitesMarkdown(accounting, list, readLedgers(reports));
    expect(md).toContain("## Passed without executing any assertion\n\n- embedded--embedded--x: `d`");
    expect(md).toContain("| tool_calling | 0 / 2 |");
    expect(md).toContain("no CI setup has vision");
  });

  it("fails when a never-executed gate is unlisted, a listed one now runs, or a listed id is gone", () => {
    const sites = scanSource(FILE, SOURCE);
    const ledger = ledgerOf("x", { setup: "ollama" }, [record("a", [{ file: FILE, line: 2, capability: "vision", executed: true }])], new Date(0));
    const accounting = accountSites(sites, [ledger]);
    const verdict = sitesVerdict(accounting, { sites: [{ id: sites[1]!.id, reason: "r" }, { id: sites[2]!.id, reason: "r" }, { id: "gone", reason: "r" }] });
    expect(verdict.ok).toBe(false);
    expect(verdict.unlisted.map((a) => a.site.line)).toEqual([1, 7]);
    expect(verdict.nowExecuted.map((a) => a.site.line)).toEqual([2]);
    expect(verdict.unknown).toEqual(["gone"]);
  });
});
