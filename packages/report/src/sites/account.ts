/** Adds the runs' ledgers up over the scanned gates, and holds the result to the committed list. */
import { existsSync, readFileSync } from "node:fs";
import { ReportError } from "../fs.js";
import { ledgerName } from "./ledger.js";
import type { GateObservation, GateSite, NeverExecutedFile, SiteAccount, SiteLedger, SitesAccounting, SitesVerdict } from "./model.js";

export function accountSites(sites: readonly GateSite[], ledgers: readonly SiteLedger[]): SitesAccounting {
  const byLocation = new Map(sites.map((s) => [`${s.file}:${s.line}:${s.capability}`, s]));
  const accounts = new Map<string, SiteAccount>(sites.map((s) => [s.id, { site: s, executedIn: [], skippedIn: [] }]));
  const unmatched: GateObservation[] = [];
  for (const ledger of ledgers) {
    const run = ledgerName(ledger);
    for (const g of ledger.gates) {
      const site = byLocation.get(`${g.file}:${g.line}:${g.capability}`);
      if (!site) {
        unmatched.push({ file: g.file, line: g.line, capability: g.capability, executed: g.executed > 0 });
        continue;
      }
      const account = accounts.get(site.id)!;
      if (g.executed > 0) account.executedIn.push(run);
      else account.skippedIn.push(run);
    }
  }
  return { sites: [...accounts.values()], runs: ledgers.map(ledgerName), unmatched };
}

export function readNeverExecuted(file: string): NeverExecutedFile {
  if (!existsSync(file)) return { sites: [] };
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<NeverExecutedFile>;
  if (!Array.isArray(parsed.sites) || !parsed.sites.every((s) => typeof s?.id === "string" && typeof s.reason === "string" && s.reason.length > 0)) {
    throw new ReportError(`${file} must be {"sites": [{"id": "<site id>", "reason": "<why no CI run executes it>"}]}`);
  }
  return parsed as NeverExecutedFile;
}

export function sitesVerdict(accounting: SitesAccounting, listed: NeverExecutedFile): SitesVerdict {
  const ids = new Map(listed.sites.map((s) => [s.id, s.reason]));
  const never = accounting.sites.filter((a) => a.executedIn.length === 0);
  const unlisted = never.filter((a) => !ids.has(a.site.id));
  const nowExecuted = accounting.sites.filter((a) => a.executedIn.length > 0 && ids.has(a.site.id));
  const known = new Set(accounting.sites.map((a) => a.site.id));
  const unknown = listed.sites.map((s) => s.id).filter((id) => !known.has(id));
  return { unlisted, nowExecuted, unknown, ok: unlisted.length === 0 && nowExecuted.length === 0 && unknown.length === 0 };
}

/** Per capability: gates, and those some run executed. */
export function byCapability(accounting: SitesAccounting): { capability: string; total: number; executed: number }[] {
  const rows = new Map<string, { capability: string; total: number; executed: number }>();
  for (const a of accounting.sites) {
    const row = rows.get(a.site.capability) ?? { capability: a.site.capability, total: 0, executed: 0 };
    row.total++;
    if (a.executedIn.length > 0) row.executed++;
    rows.set(a.site.capability, row);
  }
  return [...rows.values()].sort((a, b) => a.capability.localeCompare(b.capability));
}
