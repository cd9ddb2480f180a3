/**
 * Datasets routing table and the inline localfs DatasetIO provider behind it: registrations live in
 * SQLite, rows are read from the dataset's source on every call (as upstream's provider reloads its
 * dataframe each time).
 */
import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import type { ProviderConfig } from "../../config/types.js";
import { InvalidValueError, resourceNotFound } from "../../server/errors.js";
import { paginateRows } from "./pagination.js";
import { loadSourceRows } from "./source-rows.js";
import type { DataSource, Dataset, DatasetPurpose, ListDatasetsResponse, PaginatedRows, Row } from "./types.js";

/** The only DatasetIO provider type this stack implements. */
export const LOCALFS_PROVIDER_TYPE = "inline::localfs";

export interface RegisterDatasetInput {
  purpose: DatasetPurpose;
  source: DataSource;
  metadata?: Record<string, unknown> | null;
  dataset_id?: string | null;
}

export class DatasetsService {
  private readonly providerIds: string[];

  /** `providers`: the run config's datasetio providers; only inline::localfs ones are served. */
  constructor(
    private readonly db: Database,
    providers: readonly ProviderConfig[],
  ) {
    this.providerIds = providers.filter((p) => p.provider_type === LOCALFS_PROVIDER_TYPE).map((p) => p.provider_id);
    db.exec(`CREATE TABLE IF NOT EXISTS registry_datasets (identifier TEXT PRIMARY KEY, data TEXT NOT NULL, seq INTEGER NOT NULL)`);
  }

  register(input: RegisterDatasetInput): Dataset {
    const identifier = input.dataset_id || `dataset-${randomUUID()}`;
    const metadata = input.metadata ?? {};
    const providerId = providerFor(input.source, metadata);
    if (!this.providerIds.includes(providerId)) throw new InvalidValueError(`Provider \`${providerId}\` not found`);
    const dataset: Dataset = {
      identifier,
      provider_resource_id: identifier,
      provider_id: providerId,
      type: "dataset",
      owner: null,
      purpose: input.purpose,
      source: input.source,
      metadata,
    };
    const existing = this.find(identifier);
    if (existing) {
      if (JSON.stringify(existing) === JSON.stringify(dataset)) return existing;
      throw new InvalidValueError(
        `Object of type 'dataset' and identifier '${identifier}' already exists. Unregister it first if you want to replace it.`,
      );
    }
    this.db
      .prepare(`INSERT INTO registry_datasets (identifier, data, seq) VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM registry_datasets))`)
      .run(identifier, JSON.stringify(dataset));
    return dataset;
  }

  /** Items are serialized as the declared Dataset model upstream, so without `owner`. */
  list(): ListDatasetsResponse {
    const rows = this.db.prepare("SELECT data FROM registry_datasets ORDER BY seq").all() as { data: string }[];
    return {
      data: rows.map((r) => {
        const { owner: _owner, ...dataset } = JSON.parse(r.data) as Dataset;
        return dataset;
      }),
    };
  }

  /** Throws upstream's DatasetNotFoundError (404). */
  get(datasetId: string): Dataset {
    const dataset = this.find(datasetId);
    if (!dataset) throw resourceNotFound(datasetId, "Dataset", "client.datasets.list()");
    return dataset;
  }

  unregister(datasetId: string): void {
    this.get(datasetId);
    this.db.prepare("DELETE FROM registry_datasets WHERE identifier = ?").run(datasetId);
  }

  async iterrows(datasetId: string, startIndex?: number | null, limit?: number | null): Promise<PaginatedRows> {
    const dataset = this.served(datasetId);
    return paginateRows(await loadSourceRows(dataset.source), startIndex, limit);
  }

  /** Upstream's localfs provider appends to a dataframe it then drops: the rows are checked, not kept. */
  async appendRows(datasetId: string, _rows: Row[]): Promise<void> {
    await loadSourceRows(this.served(datasetId).source);
  }

  private find(datasetId: string): Dataset | undefined {
    const row = this.db.prepare("SELECT data FROM registry_datasets WHERE identifier = ?").get(datasetId) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Dataset) : undefined;
  }

  /** The routing table's lookup for DatasetIO calls: an unknown id is a ValueError (400) there, not a 404. */
  private served(datasetId: string): Dataset {
    const dataset = this.find(datasetId);
    if (!dataset) {
      const providers =
        this.providerIds.length === 1 ? `provider: \`${this.providerIds[0]}\`` : `any of the providers: ${this.providerIds.join(", ")}`;
      throw new InvalidValueError(
        `Dataset \`${datasetId}\` not served by ${providers}. Make sure there is an DatasetIO provider serving this dataset.`,
      );
    }
    return dataset;
  }
}

/** Upstream infers the provider from the source: rows and plain URIs go to localfs, huggingface URIs to huggingface. */
function providerFor(source: DataSource, metadata: Record<string, unknown>): string {
  if (typeof metadata.provider_id === "string" && metadata.provider_id) return metadata.provider_id;
  if (source.type === "uri" && source.uri.startsWith("huggingface")) return "huggingface";
  return "localfs";
}
