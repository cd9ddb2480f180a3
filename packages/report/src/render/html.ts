import type { ApiReport, ApiSummary, ConformanceReport, TestRecord } from "../model.js";
import { escapeXml as esc } from "./escape.js";
import { formatStamp } from "../stamp.js";
import { assertionLines, formatCoverage, formatDuration, problemLines, reasonLines, VERDICT_LABEL, verdictOf, type Verdict } from "./format.js";
import { renderTraceSections, TRACE_STYLE } from "./trace-view.js";

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
.meta { color: #59636e; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d1d9e0; padding: .35rem .55rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail, tr.error { background: #ffebe9; } p.problem { color: #d1242f; font-weight: 600; } tr.partial { background: #fff8c5; } tr.pass { background: #dafbe1; } tr.not-run { background: #f6f8fa; color: #59636e; }
tr.passed td.status { color: #1a7f37; } tr.failed td.status { color: #d1242f; font-weight: 600; } tr.skipped td.status { color: #9a6700; }
tr.failed { background: #ffebe9; }
.verdict { font-weight: 600; white-space: nowrap; }
ul.reasons { margin: 0; padding-left: 1.1rem; }
.bar { background: #d1d9e0; height: .45rem; border-radius: .25rem; min-width: 6rem; margin-top: .2rem; }
.bar > span { display: block; height: 100%; border-radius: .25rem; background: #1a7f37; }
code { font-size: 12px; word-break: break-all; }
tfoot td { font-weight: 600; background: #f6f8fa; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}${TRACE_STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function reasonsList(lines: string[]): string {
  return lines.length ? `<ul class="reasons">${lines.map((l) => `<li>${esc(l)}</li>`).join("")}</ul>` : "–";
}

function coverageCell(summary: ApiSummary): string {
  const { covered, total } = summary.upstreamFunctions;
  const pct = total ? Math.min(100, Math.round((covered / total) * 100)) : 0;
  const bar = total ? `<div class="bar"><span style="width:${pct}%"></span></div>` : "";
  return `${esc(formatCoverage(summary.upstreamFunctions))}${bar}`;
}

function summaryCells(s: ApiSummary, problems: string[] = []): string {
  const failed = s.errors ? `${s.failed} <small>(+${s.errors} errors)</small>` : String(s.failed);
  return [
    `<td class="num">${s.passed}</td>`,
    `<td class="num">${failed}</td>`,
    `<td class="num">${s.skipped}</td>`,
    `<td>${reasonsList([...problems, ...reasonLines(s.skippedByReason)])}</td>`,
    `<td>${reasonsList(assertionLines(s.skippedAssertionsByReason))}</td>`,
    `<td>${coverageCell(s)}</td>`,
  ].join("");
}

const SUMMARY_HEAD =
  "<th>passed</th><th>failed</th><th>skipped</th><th>skipped tests by reason</th><th>skipped assertions by reason</th><th>upstream functions covered</th>";

function verdictCell(verdict: Verdict): string {
  return `<td class="verdict">${esc(VERDICT_LABEL[verdict])}</td>`;
}

/** reports/index.html: one row per API, colour-coded, linking to each API's page. */
export function renderMergedHtml(report: ConformanceReport): string {
  const rows = report.apis.map((a) => {
    const verdict = verdictOf(a.summary, a.reported, a.notRun);
    const name = a.reported ? `<a href="${esc(a.api)}/conformance.html">${esc(a.api)}</a>` : esc(a.api);
    const stamp = a.environment && a.generatedAt ? esc(formatStamp(a.environment, a.generatedAt)) : "–";
    return `<tr class="${verdict}"><td>${name}</td>${verdictCell(verdict)}${summaryCells(a.summary, problemLines(a))}<td><small>${stamp}</small></td></tr>`;
  });
  const mixed = report.runs.length > 1
    ? `<p class="problem">These reports mix ${report.runs.length} runs: ${esc(report.runs.join("; "))}.</p>\n`
    : "";
  const body = `<h1>Llama Stack conformance</h1>
<p class="meta">Generated ${esc(report.generatedAt)} · ${report.totals.passed} passed · ${report.totals.failed} failed · ${report.totals.skipped} skipped · ${report.totals.skippedAssertions} skipped assertions</p>
${mixed}<table>
<thead><tr><th>API</th><th>verdict</th>${SUMMARY_HEAD}<th>run</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
<tfoot><tr><td>all</td><td></td>${summaryCells(report.totals)}<td></td></tr></tfoot>
</table>`;
  return page("Llama Stack conformance", body);
}

function testRow(t: TestRecord): string {
  const note = t.status === "skipped" ? t.skipReason : t.error;
  const assertions = t.skippedAssertions.map((a) => `${a.capability}: ${a.reason}`);
  return (
    `<tr class="${t.status}"><td><code>${esc(t.id)}</code></td><td class="status">${t.status}</td>` +
    `<td class="num">${esc(formatDuration(t.durationMs))}</td><td>${note ? esc(note) : "–"}</td><td>${reasonsList(assertions)}</td></tr>`
  );
}

/** reports/<api>/conformance.html: the summary row, then every test. */
export function renderApiHtml(report: ApiReport): string {
  const verdict = verdictOf(report.summary, true, report.notRun);
  const problems = problemLines(report).map((p) => `<p class="problem">${esc(p)}</p>`).join("\n");
  const fileErrors = report.fileErrors.length
    ? `<h2>File errors</h2><ul>${report.fileErrors.map((e) => `<li><code>${esc(e.file)}</code>: ${esc(e.message)}</li>`).join("")}</ul>`
    : "";
  const body = `<h1>Conformance: ${esc(report.api)}</h1>
<p class="meta">${esc(formatStamp(report.environment, report.generatedAt))} · <a href="../index.html">all APIs</a></p>
${problems}
<table>
<thead><tr><th>verdict</th>${SUMMARY_HEAD}</tr></thead>
<tbody><tr class="${verdict}">${verdictCell(verdict)}${summaryCells(report.summary)}</tr></tbody>
</table>
${fileErrors}
<h2>Tests</h2>
<table>
<thead><tr><th>test</th><th>status</th><th>duration</th><th>reason / error</th><th>skipped assertions</th></tr></thead>
<tbody>
${report.tests.map(testRow).join("\n")}
</tbody>
</table>
${renderTraceSections(report.tests)}`;
  return page(`Conformance: ${report.api}`, body);
}
