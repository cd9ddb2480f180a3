import path from "node:path";
import { writeFileAtomic } from "../fs.js";
import { accountSites, byCapability } from "./account.js";
import { ledgerName, readLedgers } from "./ledger.js";
import type { GateSite, NeverExecutedFile, SitesAccounting } from "./model.js";
import { renderSitesMarkdown } from "./render.js";

/** Writes reports/assertion-sites.json and .md over every ledger in the reports directory. */
export async function writeSitesReport(reportsDir: string, sites: readonly GateSite[], listed: NeverExecutedFile): Promise<SitesAccounting> {
  const ledgers = readLedgers(reportsDir);
  const accounting = accountSites(sites, ledgers);
  const passedWithoutAssertions = ledgers.flatMap((l) => l.passedWithoutAssertions.map((test) => ({ run: ledgerName(l), test })));
  const summary = { runs: accounting.runs, byCapability: byCapability(accounting), passedWithoutAssertions };
  const never = accounting.sites.filter((a) => a.executedIn.length === 0).map((a) => ({ id: a.site.id, reached: a.skippedIn }));
  await Promise.all([
    writeFileAtomic(path.join(reportsDir, "assertion-sites.json"), `${JSON.stringify({ ...summary, neverExecuted: never, sites: accounting.sites }, null, 2)}\n`),
    writeFileAtomic(path.join(reportsDir, "assertion-sites.md"), renderSitesMarkdown(accounting, listed, ledgers)),
  ]);
  return accounting;
}

/**
 * The committed list for this accounting: every site no run executed, keeping the reasons already
 * written and stating, for a new one, what the runs showed (a person may sharpen it).
 */
export function neverExecutedList(accounting: SitesAccounting, current: NeverExecutedFile): NeverExecutedFile {
  const reasons = new Map(current.sites.map((s) => [s.id, s.reason]));
  const sites = accounting.sites
    .filter((a) => a.executedIn.length === 0)
    .map((a) => ({
      id: a.site.id,
      reason:
        reasons.get(a.site.id) ??
        (a.skippedIn.length
          ? `reached only on setups without ${a.site.capability} (${a.skippedIn.join(", ")})`
          : "no run reaches it: its test skips or fails before the gate wherever it runs"),
    }));
  return { sites };
}
