/**
 * Scoring functions routing table in SQLite: the providers' own functions (registered at startup) and
 * those registered through the API, each routed to its provider.
 */
import type { Database } from "better-sqlite3";
import { InvalidValueError } from "../../server/errors.js";
import type { ScoringProvider } from "./provider.js";
import type { ParamType, ScoringFn, ScoringFnParams } from "./types.js";
import { chooseProvider } from "../../server/provider-choice.js";

export interface RegisterScoringFnInput {
  scoring_fn_id: string;
  description: string;
  return_type: ParamType;
  provider_scoring_fn_id?: string | null;
  provider_id?: string | null;
  params?: ScoringFnParams | null;
}

export class ScoringFunctionsRegistry {
  constructor(
    private readonly db: Database,
    /** Provider id -> provider, in the run config's order. */
    private readonly providers: ReadonlyMap<string, ScoringProvider>,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS registry_scoring_functions (identifier TEXT PRIMARY KEY, data TEXT NOT NULL, seq INTEGER NOT NULL)`);
  }

  /** Registers the providers' functions, and hands persisted API registrations back to their providers. */
  start(): void {
    const persisted = this.list();
    for (const [providerId, provider] of this.providers) {
      for (const fn of provider.builtins()) this.upsert(fn);
      for (const fn of persisted) {
        if (fn.provider_id === providerId && !provider.builtins().some((b) => b.identifier === fn.identifier)) provider.register(fn);
      }
    }
  }

  list(): ScoringFn[] {
    const rows = this.db.prepare("SELECT data FROM registry_scoring_functions ORDER BY seq").all() as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as ScoringFn);
  }

  /** Upstream's get_scoring_function: a missing id is a ValueError (400). */
  get(id: string): ScoringFn {
    const fn = this.find(id);
    if (!fn) throw new InvalidValueError(`Scoring function '${id}' not found`);
    return fn;
  }

  register(input: RegisterScoringFnInput): void {
    const providerId = chooseProvider(input.provider_id, [...this.providers.keys()]);
    const provider = this.providers.get(providerId)!;
    const fn: ScoringFn = {
      identifier: input.scoring_fn_id,
      provider_resource_id: input.provider_scoring_fn_id ?? input.scoring_fn_id,
      provider_id: providerId,
      type: "scoring_function",
      owner: null,
      source: "via_register_api",
      description: input.description,
      metadata: {},
      return_type: input.return_type,
      params: input.params ?? null,
    };
    provider.register(fn);
    const existing = this.find(fn.identifier);
    if (existing && JSON.stringify(existing) !== JSON.stringify(fn)) {
      throw new InvalidValueError(
        `Object of type 'scoring_function' and identifier '${fn.identifier}' already exists. Unregister it first if you want to replace it.`,
      );
    }
    this.upsert(fn);
  }

  unregister(id: string): void {
    const fn = this.get(id);
    this.db.prepare("DELETE FROM registry_scoring_functions WHERE identifier = ?").run(id);
    this.providers.get(fn.provider_id)?.unregister(id);
  }

  /** The provider serving a function; unknown ids get the routing table's ValueError. */
  providerFor(id: string): ScoringProvider {
    const fn = this.find(id);
    const provider = fn && this.providers.get(fn.provider_id);
    if (!provider) {
      const ids = [...this.providers.keys()];
      const served = ids.length === 1 ? `provider: \`${ids[0]}\`` : `any of the providers: ${ids.join(", ")}`;
      throw new InvalidValueError(
        `Scoring_function \`${id}\` not served by ${served}. Make sure there is an Scoring provider serving this scoring_function.`,
      );
    }
    return provider;
  }

  private find(id: string): ScoringFn | undefined {
    const row = this.db.prepare("SELECT data FROM registry_scoring_functions WHERE identifier = ?").get(id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as ScoringFn) : undefined;
  }

  private upsert(fn: ScoringFn): void {
    this.db
      .prepare(
        `INSERT INTO registry_scoring_functions (identifier, data, seq) VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM registry_scoring_functions))
         ON CONFLICT(identifier) DO UPDATE SET data = excluded.data`,
      )
      .run(fn.identifier, JSON.stringify(fn));
  }
}
