import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { ReportError, writeFileAtomic } from "./fs.js";
import { REPORT_SCHEMA_VERSION, type ApiReport, type ConformanceReport, type MergedApiEntry } from "./model.js";
import { renderMergedHtml } from "./render/html.js";
import { renderMergedMarkdown } from "./render/markdown.js";
import { runConfiguration } from "./stamp.js";
import { addSummaries, summarize } from "./summary.js";
import { UPSTREAM_TEST_FUNCTIONS, upstreamFunctionTotal } from "./upstream-counts.js";

async function readApiReport(file: string): Promise<ApiReport> {
  let parsed: Partial<ApiReport>;
  try {
    parsed = JSON.parse(await readFile(file, "utf8")) as Partial<ApiReport>;
  } catch (error) {
    throw new ReportError(`cannot read ${file}: ${(error as Error).message}; delete it or rerun that API's tests`);
  }
  if (parsed.schemaVersion !== REPORT_SCHEMA_VERSION || typeof parsed.api !== "string" || !parsed.summary) {
    throw new ReportError(
      `${file} is not a conformance report of schema version ${REPORT_SCHEMA_VERSION}; delete it or rerun that API's tests`,
    );
  }
  return parsed as ApiReport;
}

export interface MergeOptions {
  /** Only these APIs' reports (a run's own packages); default: every report in the dir. */
  apis?: readonly string[];
  now?: Date;
}

/**
 * Reads the reports/<api>/conformance.json files (all, or `apis`); APIs upstream tests but nobody
 * ran appear as not reported. `runs` lists the distinct run configurations among them.
 */
export async function loadConformanceReport(reportsDir: string, { apis: only, now = new Date() }: MergeOptions = {}): Promise<ConformanceReport> {
  if (!existsSync(reportsDir)) throw new ReportError(`reports dir ${reportsDir} does not exist; run the tests first or pass the right --reports-dir`);
  const reports = new Map<string, ApiReport>();
  for (const entry of await readdir(reportsDir, { withFileTypes: true })) {
    const file = path.join(reportsDir, entry.name, "conformance.json");
    if (only && !only.includes(entry.name)) continue;
    if (entry.isDirectory() && existsSync(file)) {
      const report = await readApiReport(file);
      reports.set(report.api, report);
    }
  }
  const names = [...new Set([...Object.keys(UPSTREAM_TEST_FUNCTIONS), ...reports.keys()])].sort();
  const apis: MergedApiEntry[] = names.map((api) => {
    const report = reports.get(api);
    if (!report) return { api, reported: false, summary: summarize(api, []) };
    // The upstream totals table is the single source of denominators, even for older report files.
    const summary = {
      ...report.summary,
      upstreamFunctions: { ...report.summary.upstreamFunctions, total: upstreamFunctionTotal(api) },
    };
    return {
      api,
      reported: true,
      generatedAt: report.generatedAt,
      environment: report.environment,
      summary,
      ...(report.notRun ? { notRun: report.notRun } : {}),
      ...(report.stackDied ? { stackDied: report.stackDied } : {}),
    };
  });
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: now.toISOString(),
    runs: [...new Set(apis.flatMap((a) => (a.environment ? [runConfiguration(a.environment)] : [])))],
    apis,
    totals: addSummaries(apis.map((a) => a.summary)),
  };
}

export interface MergedFiles {
  json: string;
  markdown: string;
  html: string;
}

/** Merges all per-API reports into reports/conformance.json, conformance.md and index.html. */
export async function mergeReports(reportsDir: string, options: MergeOptions = {}): Promise<{ report: ConformanceReport; files: MergedFiles }> {
  const report = await loadConformanceReport(reportsDir, options);
  const files: MergedFiles = {
    json: path.join(reportsDir, "conformance.json"),
    markdown: path.join(reportsDir, "conformance.md"),
    html: path.join(reportsDir, "index.html"),
  };
  await Promise.all([
    writeFileAtomic(files.json, `${JSON.stringify(report, null, 2)}\n`),
    writeFileAtomic(files.markdown, renderMergedMarkdown(report)),
    writeFileAtomic(files.html, renderMergedHtml(report)),
  ]);
  return { report, files };
}
