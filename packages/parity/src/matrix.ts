/**
 * Version matrix: one suite and setup run on several server targets (llama-stack@0.4.0, 0.7.x, ogx
 * 1.x, ...), per API and test the outcome on each, so a change of behaviour between versions shows
 * as a row whose cells differ. Built from the runs' snapshots (snapshot.ts), one per target.
 */
import type { TestStatus } from "@llama-stack-tests/report";
import { ParityError } from "./errors.js";
import type { RunSnapshot, StackOutcome } from "./model.js";

export interface MatrixRow {
  id: string;
  api: string;
  /** One per target, in the report's target order; undefined: the test did not run there. */
  outcomes: (StackOutcome | undefined)[];
  /** The status differs between some two targets (a test missing on one counts as differing). */
  changed: boolean;
}

export interface MatrixTarget {
  label: string;
  stackConfig: string;
  wallSeconds?: number;
  counts: Record<TestStatus, number>;
}

export interface VersionMatrix {
  suite: string;
  setup: string;
  targets: MatrixTarget[];
  /** API -> per target counts, in target order. */
  apis: { api: string; counts: Record<TestStatus, number>[]; changed: number }[];
  rows: MatrixRow[];
  totals: { tests: number; changed: number };
}

const zero = (): Record<TestStatus, number> => ({ passed: 0, failed: 0, skipped: 0 });

/** The matrix of snapshots of the same suite and setup, in the given order. */
export function buildMatrix(snapshots: readonly RunSnapshot[]): VersionMatrix {
  const first = snapshots[0];
  if (!first || snapshots.length < 2) throw new ParityError("a version matrix needs the snapshots of at least two targets");
  for (const s of snapshots) {
    if (s.suite !== first.suite || s.setup !== first.setup) {
      throw new ParityError(`snapshot of ${s.stack} is suite ${s.suite} / setup ${s.setup}, not ${first.suite} / ${first.setup}: a matrix compares one suite and setup`);
    }
  }
  const ids = [...new Set(snapshots.flatMap((s) => Object.keys(s.outcomes)))];
  const apiOf = (id: string) => snapshots.map((s) => s.apis[id]).find((a) => a !== undefined) ?? "unknown";
  const rows: MatrixRow[] = ids
    .map((id) => {
      const outcomes = snapshots.map((s) => s.outcomes[id]);
      const statuses = new Set(outcomes.map((o) => o?.status ?? "not run"));
      return { id, api: apiOf(id), outcomes, changed: statuses.size > 1 };
    })
    .sort((a, b) => a.api.localeCompare(b.api) || a.id.localeCompare(b.id));
  const byApi = new Map<string, { counts: Record<TestStatus, number>[]; changed: number }>();
  for (const row of rows) {
    let entry = byApi.get(row.api);
    if (!entry) byApi.set(row.api, (entry = { counts: snapshots.map(zero), changed: 0 }));
    row.outcomes.forEach((o, i) => {
      if (o) entry.counts[i]![o.status]++;
    });
    if (row.changed) entry.changed++;
  }
  return {
    suite: first.suite,
    setup: first.setup,
    targets: snapshots.map((s, i) => ({
      label: s.stack,
      stackConfig: s.stackConfig,
      ...(s.wallSeconds !== undefined ? { wallSeconds: s.wallSeconds } : {}),
      counts: rows.reduce((c, r) => {
        const o = r.outcomes[i];
        if (o) c[o.status]++;
        return c;
      }, zero()),
    })),
    apis: [...byApi].map(([api, e]) => ({ api, ...e })),
    rows,
    totals: { tests: rows.length, changed: rows.filter((r) => r.changed).length },
  };
}

const MARK: Record<TestStatus, string> = { passed: "pass", failed: "FAIL", skipped: "skip" };
const mdEsc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const htmlEsc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const countsText = (c: Record<TestStatus, number>) => `${c.passed} / ${c.failed} / ${c.skipped}`;

function cellText(o: StackOutcome | undefined): string {
  if (!o) return "not run";
  return o.detail ? `${MARK[o.status]}: ${o.detail.length > 120 ? `${o.detail.slice(0, 117)}...` : o.detail}` : MARK[o.status];
}

/** reports/version-matrix-<suite>-<setup>.md: per API counts per target, then every test as one row. */
export function renderMatrixMarkdown(m: VersionMatrix): string {
  const head = (first: string) => `| ${first} | ${m.targets.map((t) => t.label).join(" | ")} |\n| --- |${" --- |".repeat(m.targets.length)}`;
  const lines = [
    `# Version matrix: suite ${m.suite}, setup ${m.setup}`,
    "",
    `${m.totals.tests} tests; ${m.totals.changed} with a different outcome on some target. Cells: passed / failed / skipped.`,
    "",
    head("target"),
    `| stack config | ${m.targets.map((t) => `\`${t.stackConfig}\``).join(" | ")} |`,
    `| all APIs | ${m.targets.map((t) => countsText(t.counts)).join(" | ")} |`,
    `| wall time | ${m.targets.map((t) => (t.wallSeconds !== undefined ? `${t.wallSeconds.toFixed(0)} s` : "")).join(" | ")} |`,
    "",
    head("API (tests that change)"),
    ...m.apis.map((a) => `| ${a.api} (${a.changed}) | ${a.counts.map(countsText).join(" | ")} |`),
    "",
    "## Every test",
    "",
    "Rows whose outcome differs between targets are marked **changed**.",
    "",
    head("test"),
    ...m.rows.map((r) => `| ${r.changed ? "**changed** " : ""}${mdEsc(r.id)} | ${r.outcomes.map((o) => mdEsc(cellText(o))).join(" | ")} |`),
  ];
  return `${lines.join("\n")}\n`;
}

/** reports/version-matrix-<suite>-<setup>.html: the same, one colour-coded table per API. */
export function renderMatrixHtml(m: VersionMatrix): string {
  const th = m.targets.map((t) => `<th>${htmlEsc(t.label)}</th>`).join("");
  const cell = (o: StackOutcome | undefined) =>
    `<td class="${o?.status ?? "notrun"}"${o?.detail ? ` title="${htmlEsc(o.detail)}"` : ""}>${htmlEsc(cellText(o))}</td>`;
  const apiRows = m.apis
    .map((a) => `<tr><td><a href="#api-${htmlEsc(a.api)}">${htmlEsc(a.api)}</a> (${a.changed} changed)</td>${a.counts.map((c) => `<td>${countsText(c)}</td>`).join("")}</tr>`)
    .join("\n");
  const sections = m.apis
    .map((a) => {
      const rows = m.rows
        .filter((r) => r.api === a.api)
        .map((r) => `<tr${r.changed ? ' class="changed"' : ""}><td>${htmlEsc(r.id)}</td>${r.outcomes.map(cell).join("")}</tr>`)
        .join("\n");
      return `<h2 id="api-${htmlEsc(a.api)}">${htmlEsc(a.api)}</h2>\n<table><tr><th>test</th>${th}</tr>\n${rows}\n</table>`;
    })
    .join("\n");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Version matrix: ${htmlEsc(m.suite)} / ${htmlEsc(m.setup)}</title>
<style>
body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;vertical-align:top}
td.passed{background:#dff0d8}td.failed{background:#f2dede}td.skipped{background:#fcf8e3}td.notrun{background:#eee}
tr.changed td:first-child{font-weight:bold;border-left:4px solid #d9534f}
</style></head><body>
<h1>Version matrix: suite ${htmlEsc(m.suite)}, setup ${htmlEsc(m.setup)}</h1>
<p>${m.totals.tests} tests; ${m.totals.changed} with a different outcome on some target (bold rows). Cells: passed / failed / skipped.</p>
<table><tr><th>target</th>${th}</tr>
<tr><td>stack config</td>${m.targets.map((t) => `<td><code>${htmlEsc(t.stackConfig)}</code></td>`).join("")}</tr>
<tr><td>all APIs</td>${m.targets.map((t) => `<td>${countsText(t.counts)}</td>`).join("")}</tr>
${apiRows}
</table>
${sections}
</body></html>
`;
}

/** One line for the run's log. */
export function formatMatrixSummary(m: VersionMatrix): string {
  return `version matrix ${m.suite}/${m.setup}: ${m.targets.map((t) => `${t.label} ${countsText(t.counts)}`).join("; ")} (passed / failed / skipped); ${m.totals.changed} of ${m.totals.tests} tests change between targets`;
}
