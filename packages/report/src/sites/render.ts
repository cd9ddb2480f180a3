/** reports/assertion-sites.md: per capability, the gates the runs executed and every one they never did. */
import { byCapability } from "./account.js";
import { ledgerName } from "./ledger.js";
import type { NeverExecutedFile, SiteLedger, SitesAccounting } from "./model.js";

export function renderSitesMarkdown(accounting: SitesAccounting, listed: NeverExecutedFile, ledgers: readonly SiteLedger[] = []): string {
  const reasons = new Map(listed.sites.map((s) => [s.id, s.reason]));
  const rows = byCapability(accounting);
  const total = rows.reduce((n, r) => n + r.total, 0);
  const executed = rows.reduce((n, r) => n + r.executed, 0);
  const out = [
    "# Assertion sites behind capability gates",
    "",
    `Runs counted (setup--stack--api): ${accounting.runs.length ? accounting.runs.join(", ") : "none"}.`,
    "",
    "| capability | gates executed in some run / total |",
    "| --- | --- |",
    ...rows.map((r) => `| ${r.capability} | ${r.executed} / ${r.total} |`),
    `| **total** | ${executed} / ${total} |`,
    "",
  ];
  for (const r of rows) {
    const never = accounting.sites.filter((a) => a.site.capability === r.capability && a.executedIn.length === 0);
    if (never.length === 0) continue;
    out.push(`## ${r.capability}: never executed (${never.length})`, "");
    for (const a of never) {
      const reason = reasons.get(a.site.id);
      const reached = a.skippedIn.length ? `reached, skipped in ${a.skippedIn.length} runs` : "not reached";
      out.push(`- \`${a.site.file}:${a.site.line}\` ${a.site.what} (${reached})${reason ? `: ${reason}` : " **(not listed)**"}`);
    }
    out.push("");
  }
  const empty = ledgers.filter((l) => (l.passedWithoutAssertions ?? []).length > 0);
  if (empty.length) {
    out.push("## Passed without executing any assertion", "");
    for (const l of empty) out.push(`- ${ledgerName(l)}: ${l.passedWithoutAssertions.map((t) => `\`${t}\``).join(", ")}`);
    out.push("");
  }
  if (accounting.unmatched.length) {
    out.push("## Reached gates no scanned site explains", "", ...accounting.unmatched.map((g) => `- \`${g.file}:${g.line}\` ${g.capability}`), "");
  }
  return out.join("\n");
}
