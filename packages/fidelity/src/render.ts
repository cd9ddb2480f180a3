/** Markdown rendering of the fidelity report: per-API figures, misses grouped by cause, unhit recordings by reason. */
import { FAILURE_CAUSE_TEXT, MISS_CAUSE_TEXT, UNHIT_REASON_TEXT, type ApiFidelity, type FailedTest, type FailureCause, type FidelityReport, type MissCause, type MissEntry } from "./model.js";

const MAX_DIFF_LINES = 6;
const MAX_TESTS_LISTED = 8;
/** Misses listed per cause; the JSON report has them all. */
const MAX_MISSES_LISTED = 25;

function pct(n: number, d: number): string {
  return d === 0 ? "-" : `${Math.round((100 * n) / d)}%`;
}

function stale(a: ApiFidelity): number {
  return a.unhit.find((g) => g.reason === "superseded")?.count ?? 0;
}

function missLines(m: MissEntry): string[] {
  const head = `- \`${m.testId ?? "(session)"}\` ${m.endpoint}${m.model ? ` (${m.model})` : ""}`;
  if (m.cause === "request-not-logged") return [head, "  - the server's recorder logged its hash only: compare with an embedded run's miss of this test for the body diff"];
  if (!m.closest) return [head, "  - no recording of this test id"];
  const diff = m.closest.diff.slice(0, MAX_DIFF_LINES).map((l) => `    ${l}`);
  const more = m.closest.diff.length > MAX_DIFF_LINES ? [`    ... ${m.closest.diff.length - MAX_DIFF_LINES} more`] : [];
  return [head, `  - closest: \`${m.closest.file}\``, "  ```", ...diff, ...more, "  ```"];
}

/** Every failed test by cause, known gaps and unexplained ones apart, then the gaps that no longer fail as listed. */
function failureLines(r: FidelityReport): string[] {
  const out = ["## Failed tests by cause", ""];
  if (r.failures.length === 0) out.push("None.", "");
  const byCause = new Map<FailureCause, FailedTest[]>();
  for (const f of r.failures) byCause.set(f.cause, [...(byCause.get(f.cause) ?? []), f]);
  for (const [cause, list] of [...byCause].sort((a, b) => b[1].length - a[1].length)) {
    const unexplained = list.filter((f) => !f.known).length;
    out.push(`### ${FAILURE_CAUSE_TEXT[cause]}: ${list.length}${unexplained ? ` (${unexplained} not in the known gaps)` : " (known gaps)"}`, "");
    for (const f of list) out.push(`- ${f.known ? "" : "**unexplained** "}\`${f.test}\`${f.error ? `: ${f.error.replaceAll("|", "\\|")}` : ""}`);
    out.push("");
  }
  if (r.staleGaps.length) {
    out.push("## Known gaps that no longer fail as listed", "");
    for (const g of r.staleGaps) out.push(`- \`${g.test}\`: listed as ${g.listedCause}, now ${g.now}`);
    out.push("");
  }
  return out;
}

export function renderFidelityMarkdown(r: FidelityReport): string {
  const out = [
    `# Fidelity: suite ${r.suite}, setup ${r.setup}`,
    "",
    `Stack under test: ${r.stack}. Replayed against \`${r.recordingsDir}\`. A hit means our ported test, through this stack, sent the provider exactly the request upstream's Python test sent for that test id.`,
    "",
    "| API | hit / available | of which stale | tests passed on real output | failed | tests with misses |",
    "| --- | --- | --- | --- | --- | --- |",
    ...r.apis.map((a) => `| ${a.api} | ${a.hit} / ${a.available} (${pct(a.hit, a.available)}) | ${stale(a)} | ${a.passed} | ${a.failed} | ${a.testsWithMisses} |`),
    `| **total** | ${r.totals.hit} / ${r.totals.available} (${pct(r.totals.hit, r.totals.available)}) | ${r.apis.reduce((n, a) => n + stale(a), 0)} | ${r.totals.passed} | ${r.totals.failed} | ${r.totals.testsWithMisses} |`,
    "",
    "Stale: recordings of a test that hit another recording at the same endpoint (upstream never prunes older versions).",
    "",
  ];
  out.push(...failureLines(r));
  const byCause = new Map<MissCause, MissEntry[]>();
  for (const m of r.apis.flatMap((a) => a.misses)) byCause.set(m.cause, [...(byCause.get(m.cause) ?? []), m]);
  out.push("## Misses by cause", "");
  if (byCause.size === 0) out.push("None.", "");
  for (const [cause, misses] of [...byCause].sort((a, b) => b[1].length - a[1].length)) {
    const shown = misses.slice(0, MAX_MISSES_LISTED);
    const more = misses.length > shown.length ? [`- ... ${misses.length - shown.length} more in fidelity-${r.setup}.json`] : [];
    out.push(`### ${MISS_CAUSE_TEXT[cause]}: ${misses.length}`, "", ...shown.flatMap(missLines), ...more, "");
  }
  out.push("## Available recordings not hit", "");
  for (const a of r.apis.filter((x) => x.unhit.length > 0)) {
    out.push(`### ${a.api}`, "");
    for (const g of a.unhit) {
      const shown = g.tests.slice(0, MAX_TESTS_LISTED).map((t) => `\`${t ?? "(session)"}\``).join(", ");
      const more = g.tests.length > MAX_TESTS_LISTED ? `, ... ${g.tests.length - MAX_TESTS_LISTED} more` : "";
      out.push(`- ${g.count} because ${UNHIT_REASON_TEXT[g.reason]} (${g.tests.length} tests): ${shown}${more}`);
    }
    out.push("");
  }
  return out.join("\n");
}

/** One line per API for the console. */
export function formatFidelitySummary(r: FidelityReport): string {
  const rows = r.apis
    .filter((a) => a.available > 0 || a.misses.length > 0 || a.passed + a.failed > 0)
    .map((a) => `  ${a.api.padEnd(14)} hit ${a.hit}/${a.available}, passed ${a.passed}, failed ${a.failed}, tests with misses ${a.testsWithMisses}`);
  const t = r.totals;
  const unexplained = r.failures.filter((f) => !f.known).length;
  const failures = `${r.failures.length} failed tests (${r.failures.length - unexplained} known gaps, ${unexplained} unexplained), ${r.staleGaps.length} known gaps no longer failing as listed`;
  return [...rows, `fidelity (${r.setup}, ${r.stack}): hit ${t.hit}/${t.available}, passed ${t.passed}, failed ${t.failed}, tests with misses ${t.testsWithMisses}`, `  ${failures}`].join("\n");
}
