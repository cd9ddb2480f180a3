import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { findRepoRoot, ReportError, writeFileAtomic } from "./fs.js";
import { mergeReports } from "./merge.js";
import type { ConformanceReport } from "./model.js";
import { formatCoverage } from "./render/format.js";
import { byCapability, neverExecutedList, readNeverExecuted, scanGateSites, sitesVerdict, writeSitesReport } from "./sites/index.js";
import { formatStamp } from "./stamp.js";

/** The committed list of assertion sites no CI run executes, each with its reason. */
export const NEVER_EXECUTED_FILE = "assertion-sites/never-executed.json";

export const USAGE = `usage: conformance-report [--reports-dir DIR] [--apis A,B,...] [--check-sites | --write-sites]

Merges <DIR>/<api>/conformance.json (every API's, or only --apis) into <DIR>/conformance.json,
<DIR>/conformance.md and <DIR>/index.html. DIR defaults to <repo root>/reports.
Exits 1 when an API could not run, its stack died, or the reports come from different run
configurations (stack, setup, mode, recordings).
It also accounts the capability gates of packages/apis over every run's ledger in
<DIR>/assertion-sites/: <DIR>/assertion-sites.{json,md} list, per capability, the gates no run executed.
--check-sites (instead of merging) fails unless every such gate is listed, with its reason, in
${NEVER_EXECUTED_FILE} and every listed gate is still executed nowhere (CI, after all its runs).
--write-sites (instead of merging) rewrites that file from these runs (reasons already written are kept).`;

/** Why the merged report cannot be taken as one green run, one line each (empty when it can). */
export function untrustworthy(report: ConformanceReport): string[] {
  const lines: string[] = [];
  // One line per cause, however many APIs share it.
  const notRun = new Map<string, string[]>();
  for (const a of report.apis) if (a.notRun) notRun.set(a.notRun.split("\n")[0]!, [...(notRun.get(a.notRun.split("\n")[0]!) ?? []), a.api]);
  for (const [cause, apis] of notRun) lines.push(`not run (${apis.join(", ")}): ${cause}`);
  const died = report.apis.filter((a) => a.stackDied).map((a) => a.api);
  if (died.length) lines.push(`the stack under test died mid-run (${died.join(", ")}); the failures after that are reported as not run`);
  if (report.runs.length > 1) {
    lines.push(
      `the reports mix ${report.runs.length} run configurations; each API's report is from the last run of it (turbo serves unchanged tests from its cache without rewriting their reports):`,
      ...report.apis.filter((a) => a.environment && a.generatedAt).map((a) => `  ${a.api}: ${formatStamp(a.environment!, a.generatedAt!)}`),
      "rerun them together (pnpm test --force) or merge one run's APIs with --apis",
    );
  }
  return lines;
}

/** The assertion-site step: writes its report; with --check-sites or --write-sites, holds or rewrites the list. */
async function accountGates(reportsDir: string, flags: { "check-sites"?: boolean; "write-sites"?: boolean }, log: (line: string) => void): Promise<number> {
  // Gates are accounted for the repository the reports belong to (none for reports elsewhere).
  const rootDir = path.dirname(reportsDir);
  if (!existsSync(path.join(rootDir, "packages", "apis"))) return 0;
  const listFile = path.join(rootDir, NEVER_EXECUTED_FILE);
  const listed = readNeverExecuted(listFile);
  const accounting = await writeSitesReport(reportsDir, scanGateSites(rootDir), listed);
  const rows = byCapability(accounting);
  const figures = rows.map((r) => `${r.capability} ${r.executed}/${r.total}`).join(", ");
  log(`assertion sites executed in ${accounting.runs.length} runs: ${figures} (reports/assertion-sites.md)`);
  if (flags["write-sites"]) {
    const list = neverExecutedList(accounting, listed);
    await writeFileAtomic(listFile, `${JSON.stringify(list, null, 2)}\n`);
    log(`wrote ${NEVER_EXECUTED_FILE}: ${list.sites.length} sites no run executes`);
    return 0;
  }
  if (!flags["check-sites"]) return 0;
  const verdict = sitesVerdict(accounting, listed);
  for (const a of verdict.unlisted) log(`  executed by no run and not in ${NEVER_EXECUTED_FILE}: ${a.site.id} (${a.site.file}:${a.site.line})`);
  for (const a of verdict.nowExecuted) log(`  listed in ${NEVER_EXECUTED_FILE} but executed in ${a.executedIn.join(", ")}: ${a.site.id} (remove it)`);
  for (const id of verdict.unknown) log(`  listed in ${NEVER_EXECUTED_FILE} but no such gate exists: ${id}`);
  log(`assertion sites: ${verdict.ok ? "held" : `${verdict.unlisted.length} unlisted, ${verdict.nowExecuted.length} listed but executed, ${verdict.unknown.length} unknown; fix the runs or rewrite the list with --write-sites`}`);
  return verdict.ok ? 0 : 1;
}

/** The `conformance-report` command; returns the exit code. */
export async function runCli(argv: string[], cwd = process.cwd(), log = console.log, logError = console.error): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        "reports-dir": { type: "string" },
        apis: { type: "string" },
        "check-sites": { type: "boolean" },
        "write-sites": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      log(USAGE);
      return 0;
    }
    if (positionals.length) throw new ReportError(`unexpected argument '${positionals[0]}' (see --help)`);
    if (values["check-sites"] && values["write-sites"]) throw new ReportError("pass --check-sites or --write-sites, not both");
    const reportsDir = path.resolve(cwd, values["reports-dir"] ?? path.join(findRepoRoot(cwd), "reports"));
    // The gate accounting reads every run's ledger, not the last run's reports: no merge, no mixed-run verdict.
    if (values["check-sites"] || values["write-sites"]) return await accountGates(reportsDir, values, log);
    const apis = values.apis?.split(",").map((a) => a.trim()).filter(Boolean);
    const { report, files } = await mergeReports(reportsDir, apis ? { apis } : {});
    const t = report.totals;
    const reported = report.apis.filter((a) => a.reported).length;
    log(
      `${reported}/${report.apis.length} APIs reported: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped, ` +
        `${t.skippedAssertions} skipped assertions; upstream functions ${formatCoverage(t.upstreamFunctions)}`,
    );
    log(`wrote ${files.json}\n      ${files.markdown}\n      ${files.html}`);
    // The conventional closing line CI log readers look for.
    log(`conformance: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${t.errors ? `, ${t.errors} errors` : ""}`);
    const problems = untrustworthy(report);
    for (const line of problems) logError(`conformance-report: ${line}`);
    await accountGates(reportsDir, {}, log);
    return problems.length ? 1 : 0;
  } catch (error) {
    const message = (error as Error).message;
    // parseArgs' own errors (unknown option, missing value) are one line; add where to look.
    logError(`conformance-report: ${message}${error instanceof ReportError ? "" : " (see --help)"}`);
    return 1;
  }
}
