import path from "node:path";
import { parseArgs } from "node:util";
import { findRepoRoot, ReportError } from "./fs.js";
import { mergeReports } from "./merge.js";
import { formatCoverage } from "./render/format.js";

export const USAGE = `usage: conformance-report [--reports-dir DIR]

Merges every <DIR>/<api>/conformance.json into <DIR>/conformance.json,
<DIR>/conformance.md and <DIR>/index.html. DIR defaults to <repo root>/reports.`;

/** The `conformance-report` command; returns the exit code. */
export async function runCli(argv: string[], cwd = process.cwd(), log = console.log, logError = console.error): Promise<number> {
  try {
    const { values } = parseArgs({ args: argv, options: { "reports-dir": { type: "string" }, help: { type: "boolean", short: "h" } } });
    if (values.help) {
      log(USAGE);
      return 0;
    }
    const reportsDir = path.resolve(cwd, values["reports-dir"] ?? path.join(findRepoRoot(cwd), "reports"));
    const { report, files } = await mergeReports(reportsDir);
    const t = report.totals;
    const reported = report.apis.filter((a) => a.reported).length;
    log(
      `${reported}/${report.apis.length} APIs reported: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped, ` +
        `${t.skippedAssertions} skipped assertions; upstream functions ${formatCoverage(t.upstreamFunctions)}`,
    );
    log(`wrote ${files.json}\n      ${files.markdown}\n      ${files.html}`);
    // The conventional closing line CI log readers look for.
    log(`conformance: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
    return 0;
  } catch (error) {
    if (error instanceof ReportError) logError(`conformance-report: ${error.message}`);
    else logError(`conformance-report: ${(error as Error).message}\n${USAGE}`);
    return 1;
  }
}
