/**
 * Per-run ledgers of the gates a run reached: reports/assertion-sites/<setup>--<stack>--<api>.json, one
 * per API package, setup and stack, so that the runs of one CI job (the suites, the fidelity pairs,
 * the real server) add up. A rerun of the same combination replaces its ledger.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ReportError, writeFileAtomic } from "../fs.js";
import type { RunEnvironment, TestRecord } from "../model.js";
import type { SiteLedger } from "./model.js";

export const LEDGER_DIR = "assertion-sites";

/** API packages live in packages/apis/<api>; only their runs are accounted. */
export function isApiPackage(rootDir: string, packageDir: string): boolean {
  return path.relative(rootDir, packageDir).split(path.sep).slice(0, 2).join("/") === "packages/apis";
}

/** What --stack-config names, in a word. */
export function stackKind(stackConfig: string | undefined): string {
  if (!stackConfig || stackConfig === "embedded") return "embedded";
  return stackConfig.startsWith("server:") ? "real-server" : "url";
}

export function ledgerOf(api: string, environment: RunEnvironment, tests: readonly TestRecord[], now: Date): SiteLedger {
  const gates = new Map<string, SiteLedger["gates"][number]>();
  for (const t of tests) {
    for (const g of t.gates ?? []) {
      const key = `${g.file}:${g.line}:${g.capability}`;
      const entry = gates.get(key) ?? { file: g.file, line: g.line, capability: g.capability, executed: 0, skipped: 0 };
      if (g.executed) entry.executed++;
      else entry.skipped++;
      gates.set(key, entry);
    }
  }
  return {
    api,
    setup: environment.setup ?? "embedded",
    stack: stackKind(environment.stackConfig),
    generatedAt: now.toISOString(),
    gates: [...gates.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
    passedWithoutAssertions: tests.filter((t) => t.status === "passed" && t.assertions === 0).map((t) => t.id),
  };
}

export function ledgerName(l: Pick<SiteLedger, "setup" | "stack" | "api">): string {
  return `${l.setup}--${l.stack}--${l.api}`;
}

export async function writeLedger(reportsDir: string, ledger: SiteLedger): Promise<string> {
  const file = path.join(reportsDir, LEDGER_DIR, `${ledgerName(ledger)}.json`);
  await writeFileAtomic(file, `${JSON.stringify(ledger, null, 2)}\n`);
  return file;
}

export function readLedgers(reportsDir: string): SiteLedger[] {
  const dir = path.join(reportsDir, LEDGER_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const parsed = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as Partial<SiteLedger>;
      if (typeof parsed.api !== "string" || !Array.isArray(parsed.gates)) {
        throw new ReportError(`${path.join(dir, f)} is not an assertion-site ledger: delete it and rerun that API's tests`);
      }
      return { ...parsed, passedWithoutAssertions: parsed.passedWithoutAssertions ?? [] } as SiteLedger;
    });
}
