import path from "node:path";
import { writeFileAtomic } from "./fs.js";
import type { ApiReport } from "./model.js";
import { renderApiHtml } from "./render/html.js";
import { renderJunit } from "./render/junit.js";
import { renderApiMarkdown } from "./render/markdown.js";

export interface WrittenFiles {
  json: string;
  markdown: string;
  html: string;
  junit: string;
}

/** Writes reports/<api>/conformance.{json,md,html} and junit.xml. */
export async function writeApiReport(report: ApiReport, reportsDir: string): Promise<WrittenFiles> {
  const dir = path.join(reportsDir, report.api);
  const files: WrittenFiles = {
    json: path.join(dir, "conformance.json"),
    markdown: path.join(dir, "conformance.md"),
    html: path.join(dir, "conformance.html"),
    junit: path.join(dir, "junit.xml"),
  };
  await Promise.all([
    writeFileAtomic(files.json, `${JSON.stringify(report, null, 2)}\n`),
    writeFileAtomic(files.markdown, renderApiMarkdown(report)),
    writeFileAtomic(files.html, renderApiHtml(report)),
    writeFileAtomic(files.junit, renderJunit(report)),
  ]);
  return files;
}
