import { join } from "node:path";
import { writeFileAtomic } from "@llama-stack-tests/recording";
import type { FidelityReport } from "./model.js";
import { renderFidelityMarkdown } from "./render.js";

/** Writes reports/fidelity-<setup>.json and .md; returns their paths. */
export function writeFidelityReport(reportsDir: string, report: FidelityReport): { json: string; markdown: string } {
  const json = join(reportsDir, `fidelity-${report.setup}.json`);
  const markdown = join(reportsDir, `fidelity-${report.setup}.md`);
  writeFileAtomic(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileAtomic(markdown, renderFidelityMarkdown(report));
  return { json, markdown };
}
