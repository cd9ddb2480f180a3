import type { ParityReport, StackOutcome } from "./model.js";

const cell = (o: StackOutcome | undefined) => (o ? (o.detail ? `${o.status}: ${o.detail}` : o.status) : "not run");
const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const pct = (n: number, d: number) => (d === 0 ? "n/a" : `${((100 * n) / d).toFixed(1)}%`);

/** reports/parity-<setup>.md: totals, disagreements by class, then every disagreement. */
export function renderParityMarkdown(r: ParityReport): string {
  const t = r.totals;
  const wall =
    r.left.wallSeconds !== undefined && r.right.wallSeconds !== undefined && r.left.wallSeconds > 0
      ? `\nWall time: ${r.left.stack} ${r.left.wallSeconds.toFixed(0)} s, ${r.right.stack} ${r.right.wallSeconds.toFixed(0)} s ` +
        `(ratio ${(r.right.wallSeconds / r.left.wallSeconds).toFixed(2)}x)\n`
      : "";
  const lines = [
    `# Stack parity: suite ${r.suite}, setup ${r.setup}`,
    "",
    `${r.left.stack} (\`${r.left.stackConfig}\`) vs ${r.right.stack} (\`${r.right.stackConfig}\`)`,
    wall,
    `| | tests | passed | failed | skipped |`,
    `| --- | --- | --- | --- | --- |`,
    `| ${r.left.stack} | ${t.left.passed + t.left.failed + t.left.skipped} | ${t.left.passed} | ${t.left.failed} | ${t.left.skipped} |`,
    `| ${r.right.stack} | ${t.right.passed + t.right.failed + t.right.skipped} | ${t.right.passed} | ${t.right.failed} | ${t.right.skipped} |`,
    "",
    `Same outcome on both stacks: ${t.agree} of ${t.tests} (${pct(t.agree, t.tests)}); disagreements: ${t.disagree} ` +
      `(${Object.entries(t.byClass).map(([c, n]) => `${c} ${n}`).join(", ") || "none classified"}; unclassified ${t.unclassified}).`,
    "",
  ];
  const rows = r.rows.filter((row) => !row.agree);
  if (rows.length > 0) {
    lines.push(`| test | ${r.left.stack} | ${r.right.stack} | class | evidence |`, "| --- | --- | --- | --- | --- |");
    for (const row of rows) {
      lines.push(
        `| ${esc(row.id)} | ${esc(cell(row.left))} | ${esc(cell(row.right))} | ${row.classification?.class ?? "**unclassified**"} | ${esc(row.classification?.evidence ?? "")} |`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** One line for the run's log. */
export function formatParitySummary(r: ParityReport): string {
  const t = r.totals;
  return `parity ${r.suite}/${r.setup}: ${t.agree}/${t.tests} same outcome (${pct(t.agree, t.tests)}), ${t.disagree} disagree (${t.unclassified} unclassified)`;
}
