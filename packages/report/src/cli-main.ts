import path from "node:path";
import { parseArgs } from "node:util";
import { findRepoRoot, ReportError } from "./fs.js";
import { mergeReports } from "./merge.js";
import type { ConformanceReport } from "./model.js";
import { formatCoverage } from "./render/format.js";
import { formatStamp } from "./stamp.js";

export const USAGE = `usage: conformance-report [--reports-dir DIR] [--apis A,B,...]

Merges <DIR>/<api>/conformance.json (every API's, or only --apis) into <DIR>/conformance.json,
<DIR>/conformance.md and <DIR>/index.html. DIR defaults to <repo root>/reports.
Exits 1 when an API could not run, its stack died, or the reports come from different run
configurations (stack, setup, mode, recordings).`;

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

/** The `conformance-report` command; returns the exit code. */
export async function runCli(argv: string[], cwd = process.cwd(), log = console.log, logError = console.error): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { "reports-dir": { type: "string" }, apis: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
      log(USAGE);
      return 0;
    }
    if (positionals.length) throw new ReportError(`unexpected argument '${positionals[0]}' (see --help)`);
    const reportsDir = path.resolve(cwd, values["reports-dir"] ?? path.join(findRepoRoot(cwd), "reports"));
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
    return problems.length ? 1 : 0;
  } catch (error) {
    const message = (error as Error).message;
    // parseArgs' own errors (unknown option, missing value) are one line; add where to look.
    logError(`conformance-report: ${message}${error instanceof ReportError ? "" : " (see --help)"}`);
    return 1;
  }
}
