/** Shields routing table in SQLite: run-config shields plus those registered through the API. */
import type { Database } from "better-sqlite3";
import type { ShieldInput } from "../../config/types.js";
import { InvalidValueError } from "../../server/errors.js";
import { chooseProvider } from "../../server/provider-choice.js";

export interface Shield {
  identifier: string;
  provider_resource_id: string;
  provider_id: string;
  type: "shield";
  owner: null;
  source: "via_register_api";
  params: Record<string, unknown>;
}

export interface RegisterShieldInput {
  shield_id: string;
  provider_shield_id?: string | null;
  provider_id?: string | null;
  params?: Record<string, unknown> | null;
}

export class ShieldRegistry {
  constructor(
    private readonly db: Database,
    private readonly safetyProviderIds: string[],
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS registry_shields (identifier TEXT PRIMARY KEY, data TEXT NOT NULL, seq INTEGER NOT NULL)`);
  }

  start(configShields: ShieldInput[]): void {
    for (const s of configShields) {
      if (s.provider_id && !this.safetyProviderIds.includes(s.provider_id)) continue;
      this.register(s);
    }
  }

  register(input: RegisterShieldInput): Shield {
    const providerId = chooseProvider(input.provider_id, this.safetyProviderIds);
    const providerShieldId = input.provider_shield_id ?? input.shield_id;
    if (!providerShieldId) throw new InvalidValueError("Llama Guard shield must have a model id");
    const shield: Shield = {
      identifier: input.shield_id,
      provider_resource_id: providerShieldId,
      provider_id: providerId,
      type: "shield",
      owner: null,
      source: "via_register_api",
      params: input.params ?? {},
    };
    this.db
      .prepare(
        `INSERT INTO registry_shields (identifier, data, seq) VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM registry_shields))
         ON CONFLICT(identifier) DO UPDATE SET data = excluded.data`,
      )
      .run(shield.identifier, JSON.stringify(shield));
    return shield;
  }

  get(id: string): Shield {
    const row = this.db.prepare("SELECT data FROM registry_shields WHERE identifier = ?").get(id) as { data: string } | undefined;
    if (!row) throw new InvalidValueError(`Shield '${id}' not found`);
    return JSON.parse(row.data) as Shield;
  }

  list(): Shield[] {
    const rows = this.db.prepare("SELECT data FROM registry_shields ORDER BY seq").all() as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as Shield);
  }

  unregister(id: string): void {
    this.get(id);
    this.db.prepare("DELETE FROM registry_shields WHERE identifier = ?").run(id);
  }
}
