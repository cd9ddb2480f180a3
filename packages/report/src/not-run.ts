import { REPORT_SCHEMA_VERSION, type ApiReport, type RunEnvironment } from "./model.js";
import { summarize } from "./summary.js";

/** The report of a package that could not test at all: no results, one error naming the cause. */
export function notRunReport(api: string, cause: string, environment: RunEnvironment, now = new Date()): ApiReport {
  const summary = summarize(api, []);
  summary.errors = 1;
  return { schemaVersion: REPORT_SCHEMA_VERSION, api, generatedAt: now.toISOString(), environment, summary, fileErrors: [], tests: [], notRun: cause };
}
