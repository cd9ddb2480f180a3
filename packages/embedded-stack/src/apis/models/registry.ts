/**
 * The models routing table: models from the run config and from the API (kept), plus models listed by
 * each provider's /models (replaced on refresh), persisted in SQLite. Identifiers are
 * `provider_id/provider_model_id`, as upstream registers them.
 */
import type { Database, Statement } from "better-sqlite3";
import type { ModelInput, ModelType } from "../../config/types.js";
import type { InferenceProviderEntry } from "../../providers/inference-providers.js";
import { InvalidValueError, resourceNotFound } from "../../server/errors.js";
import type { ModelRegistry, RegisteredModel } from "../../server/types.js";

const REFRESH_WAIT_MS = 5_000;

export function modelNotFound(id: string): Error {
  return resourceNotFound(id, "Model", "client.models.list()");
}

export interface RegisterModelInput {
  model_id: string;
  provider_model_id?: string | null;
  provider_id?: string | null;
  metadata?: Record<string, unknown> | null;
  model_type?: ModelType | null;
}

export class SqliteModelRegistry implements ModelRegistry {
  private ready: Promise<void> = Promise.resolve();
  /** Looked up on every inference call, so compiled once. */
  private readonly findStatement: Statement;
  /** Lookups by id (misses too) between writes: every inference call resolves its model. */
  private readonly found = new Map<string, RegisteredModel | undefined>();

  constructor(
    private readonly db: Database,
    private readonly providers: Map<string, InferenceProviderEntry>,
    private readonly log: (message: string) => void,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS registry_models (
      identifier TEXT PRIMARY KEY, provider_id TEXT NOT NULL, source TEXT NOT NULL, data TEXT NOT NULL, seq INTEGER NOT NULL)`);
    this.findStatement = db.prepare("SELECT data FROM registry_models WHERE identifier = ?");
  }


  /**
   * Registers the run config's models, then lists providers in the background. Lookups wait for that
   * listing, at most REFRESH_WAIT_MS, so a provider that never answers cannot stall every request.
   */
  start(configModels: ModelInput[]): void {
    for (const m of configModels) {
      if (m.provider_id && !this.providers.has(m.provider_id)) continue; // provider disabled in this run
      this.put(this.build(m));
    }
    const refreshed = this.refresh();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, REFRESH_WAIT_MS).unref());
    this.ready = Promise.race([refreshed, timeout]);
  }

  async refresh(): Promise<void> {
    await Promise.all(
      [...this.providers.entries()].map(async ([providerId, entry]) => {
        let ids: string[];
        try {
          ids = await entry.client.listModelIds();
        } catch (err) {
          this.log(`model refresh failed for provider ${providerId}: ${(err as Error).message}`);
          return;
        }
        this.replaceListed(providerId, ids, entry);
      }),
    );
  }

  private replaceListed(providerId: string, ids: string[], entry: InferenceProviderEntry): void {
    const kept = new Set(
      this.all()
        .filter((m) => m.provider_id === providerId && m.source !== "listed_from_provider")
        .map((m) => m.provider_resource_id),
    );
    this.found.clear();
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM registry_models WHERE provider_id = ? AND source = 'listed_from_provider'").run(providerId);
      for (const id of ids) {
        if (kept.has(id)) continue;
        const metadata = entry.embeddingMetadata[id];
        this.put({
          identifier: `${providerId}/${id}`,
          provider_id: providerId,
          provider_resource_id: id,
          model_type: metadata ? "embedding" : "llm",
          metadata: metadata ?? {},
          source: "listed_from_provider",
        });
      }
    })();
  }

  private build(input: RegisterModelInput): RegisteredModel {
    let providerId = input.provider_id ?? null;
    if (!providerId) {
      if (this.providers.size !== 1) {
        throw new InvalidValueError(
          `Please specify a provider_id for model ${input.model_id} since multiple providers are available: ${[...this.providers.keys()].join(", ")}. ` +
            "Use the provider_id as a prefix to disambiguate, e.g. 'provider_id/model_id'.",
        );
      }
      providerId = [...this.providers.keys()][0] as string;
    }
    if (!this.providers.has(providerId)) throw new InvalidValueError(`Provider \`${providerId}\` not found`);
    const providerModelId = input.provider_model_id || input.model_id;
    const modelType = input.model_type ?? "llm";
    const metadata = input.metadata ?? {};
    if (modelType === "embedding" && !("embedding_dimension" in metadata)) {
      throw new InvalidValueError("Embedding model must have an embedding dimension in its metadata");
    }
    return {
      identifier: `${providerId}/${providerModelId}`,
      provider_id: providerId,
      provider_resource_id: providerModelId,
      model_type: modelType,
      metadata,
      source: "via_register_api",
    };
  }

  private put(model: RegisteredModel): void {
    this.found.clear();
    this.db
      .prepare(
        `INSERT INTO registry_models (identifier, provider_id, source, data, seq)
         VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM registry_models))
         ON CONFLICT(identifier) DO UPDATE SET provider_id = excluded.provider_id, source = excluded.source, data = excluded.data`,
      )
      .run(model.identifier, model.provider_id, model.source, JSON.stringify(model));
  }

  private all(): RegisteredModel[] {
    const rows = this.db.prepare("SELECT data FROM registry_models ORDER BY seq").all() as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as RegisteredModel);
  }

  async register(input: RegisterModelInput): Promise<RegisteredModel> {
    await this.ready;
    const model = this.build(input);
    this.put(model);
    return model;
  }

  async unregister(id: string): Promise<void> {
    const model = await this.get(id);
    this.found.clear();
    this.db.prepare("DELETE FROM registry_models WHERE identifier = ?").run(model.identifier);
  }

  async find(id: string): Promise<RegisteredModel | undefined> {
    await this.ready;
    if (this.found.has(id)) return this.found.get(id);
    const row = this.findStatement.get(id) as { data: string } | undefined;
    const model = row ? (JSON.parse(row.data) as RegisteredModel) : undefined;
    this.found.set(id, model);
    return model;
  }

  async get(id: string): Promise<RegisteredModel> {
    const model = await this.find(id);
    if (!model) throw modelNotFound(id);
    return model;
  }

  async list(): Promise<RegisteredModel[]> {
    await this.ready;
    return this.all();
  }
}
