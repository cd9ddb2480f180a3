/** Assertion-site accounting: every capability gate in the API tests, and whether any run executed it. */

/** One `t.can("<capability>", <what>)` call in an API package's test sources. */
export interface GateSite {
  /** Stable id: `<file>: <capability> <what as written>`, with ` #n` for the n-th identical gate of a file. */
  id: string;
  /** Repository-relative file. */
  file: string;
  line: number;
  capability: string;
  /** The second argument as written in the source (a literal, a template or an expression). */
  what: string;
}

/** What one test reported about one gate it reached: where (file:line) and whether its assertion ran. */
export interface GateObservation {
  file: string;
  line: number;
  capability: string;
  executed: boolean;
}

/** reports/assertion-sites/<setup>--<stack>--<api>.json: the gates one API package's run reached. */
export interface SiteLedger {
  api: string;
  setup: string;
  /** "embedded", "real-server" or "url": what the run's --stack-config named. */
  stack: string;
  generatedAt: string;
  /** Per reached gate (file:line:capability): how many test cases executed and skipped its assertion. */
  gates: { file: string; line: number; capability: string; executed: number; skipped: number }[];
  /** Tests that passed without making one assertion. */
  passedWithoutAssertions: string[];
}

/** The committed list: sites no CI run executes, each with the reason. */
export interface NeverExecutedFile {
  sites: { id: string; reason: string }[];
}

export interface SiteAccount {
  site: GateSite;
  /** Runs (ledger names: setup / stack / api) that executed the gate's assertion at least once. */
  executedIn: string[];
  /** Runs that reached the gate but skipped its assertion. */
  skippedIn: string[];
}

export interface SitesAccounting {
  sites: SiteAccount[];
  /** Ledgers (runs) the accounting covers. */
  runs: string[];
  /** Observations no scanned site explains (a gate whose capability is not a literal, or a stale ledger). */
  unmatched: GateObservation[];
}

export interface SitesVerdict {
  /** Executed nowhere and not listed in the committed file. */
  unlisted: SiteAccount[];
  /** Listed, but executed by some run: remove them from the file (it only shrinks). */
  nowExecuted: SiteAccount[];
  /** Listed ids no scanned site has. */
  unknown: string[];
  ok: boolean;
}
