import type { ApiReport, ConformanceReport, TestRecord } from "../model.js";
import { formatStamp } from "../stamp.js";
import { assertionLines, formatCoverage, formatDuration, problemLines, reasonLines, VERDICT_LABEL, verdictOf } from "./format.js";

/** Table-cell safe: no pipes or newlines. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function list(lines: string[]): string {
  return lines.length ? lines.map(cell).join("<br>") : "–";
}

const STATUS_MARK: Record<TestRecord["status"], string> = { passed: "✅ passed", failed: "❌ failed", skipped: "⏭️ skipped" };


export function renderApiMarkdown(report: ApiReport): string {
  const s = report.summary;
  const out = [
    `# Conformance: ${report.api}`,
    "",
    `${VERDICT_LABEL[verdictOf(s, true, report.notRun)]} · ${formatStamp(report.environment, report.generatedAt)}`,
    "",
    ...problemLines(report).flatMap((p) => [`**${cell(p)}**`, ""]),
    "| passed | failed | skipped | errors | skipped assertions | upstream functions covered | duration |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    `| ${s.passed} | ${s.failed} | ${s.skipped} | ${s.errors} | ${s.skippedAssertions} | ${formatCoverage(s.upstreamFunctions)} | ${formatDuration(s.durationMs)} |`,
    "",
  ];
  if (s.skippedByReason.length) out.push("## Skipped tests by reason", "", ...reasonLines(s.skippedByReason).map((l) => `- ${l}`), "");
  if (s.skippedAssertionsByReason.length) {
    out.push("## Skipped assertions by reason", "", ...assertionLines(s.skippedAssertionsByReason).map((l) => `- ${l}`), "");
  }
  if (report.fileErrors.length) {
    out.push("## File errors", "", ...report.fileErrors.map((e) => `- \`${e.file}\`: ${cell(e.message)}`), "");
  }
  out.push("## Tests", "", "| test | status | duration | reason / error | skipped assertions |", "| --- | --- | --- | --- | --- |");
  for (const t of report.tests) {
    const note = t.status === "skipped" ? (t.skipReason ?? "") : (t.error ?? "");
    const assertions = t.skippedAssertions.map((a) => `${a.capability}: ${a.reason}`);
    out.push(`| \`${cell(t.id)}\` | ${STATUS_MARK[t.status]} | ${formatDuration(t.durationMs)} | ${cell(note) || "–"} | ${list(assertions)} |`);
  }
  const findings = report.tests.flatMap((t) => (t.findings ?? []).map((f) => ({ test: t.id, ...f })));
  if (findings.length) {
    out.push("", "## Telemetry findings", "", "Departures from the OpenTelemetry conventions (not failures); each trace's timeline is in conformance.html.", "");
    out.push("| test | span | convention | emits |", "| --- | --- | --- | --- |");
    for (const f of findings) out.push(`| \`${cell(f.test)}\` | \`${cell(f.span)}\` | \`${cell(f.convention)}\` | ${cell(f.observed)} |`);
  }
  return `${out.join("\n")}\n`;
}

export function renderMergedMarkdown(report: ConformanceReport): string {
  const t = report.totals;
  const out = [
    "# Conformance report",
    "",
    `Generated ${report.generatedAt}. Totals: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped, ` +
      `${t.skippedAssertions} skipped assertions; upstream test functions covered ${formatCoverage(t.upstreamFunctions)}.`,
    "",
    ...(report.runs.length > 1 ? [`**These reports mix ${report.runs.length} runs:** ${report.runs.map(cell).join("; ")}.`, ""] : []),
    "| API | verdict | passed | failed | skipped | skipped by reason | skipped assertions by reason | upstream functions covered | run |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const a of report.apis) {
    const s = a.summary;
    const failed = s.errors ? `${s.failed} (+${s.errors} errors)` : String(s.failed);
    out.push(
      `| ${a.api} | ${VERDICT_LABEL[verdictOf(s, a.reported, a.notRun)]} | ${s.passed} | ${failed} | ${s.skipped} | ` +
        `${list([...problemLines(a), ...reasonLines(s.skippedByReason)])} | ${list(assertionLines(s.skippedAssertionsByReason))} | ${formatCoverage(s.upstreamFunctions)} | ` +
        `${a.environment && a.generatedAt ? cell(formatStamp(a.environment, a.generatedAt)) : "–"} |`,
    );
  }
  out.push(
    `| **all** | | **${t.passed}** | **${t.failed}** | **${t.skipped}** | | **${t.skippedAssertions}** | **${formatCoverage(t.upstreamFunctions)}** | |`,
  );
  return `${out.join("\n")}\n`;
}
