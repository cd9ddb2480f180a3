/**
 * Benchmarks routing table in SQLite (upstream's BenchmarksRoutingTable over its registry): each benchmark
 * names a dataset, its scoring functions and the eval provider that runs it.
 */
import type { Database } from "better-sqlite3";
import { InvalidValueError } from "../../server/errors.js";
import { chooseProvider } from "../../server/provider-choice.js";

/** A registered benchmark, as upstream's registry keeps BenchmarkWithOwner (field order as it dumps). */
export interface Benchmark {
  identifier: string;
  provider_resource_id: string;
  provider_id: string;
  type: "benchmark";
  owner: null;
  source: "via_register_api";
  dataset_id: string;
  scoring_functions: string[];
  metadata: Record<string, unknown>;
}

export interface RegisterBenchmarkInput {
  benchmark_id: string;
  dataset_id: string;
  scoring_functions: string[];
  provider_benchmark_id?: string | null;
  provider_id?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** The Benchmark model of list responses: upstream serializes items by the declared type, without owner/source. */
export function listedBenchmark(b: Benchmark): Omit<Benchmark, "owner" | "source"> {
  const { owner: _owner, source: _source, ...rest } = b;
  return rest;
}

export class BenchmarkRegistry {
  constructor(
    private readonly db: Database,
    private readonly evalProviderIds: readonly string[],
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS registry_benchmarks (identifier TEXT PRIMARY KEY, data TEXT NOT NULL, seq INTEGER NOT NULL)`);
  }

  register(input: RegisterBenchmarkInput): void {
    const providerId = chooseProvider(input.provider_id, this.evalProviderIds);
    const benchmark: Benchmark = {
      identifier: input.benchmark_id,
      provider_resource_id: input.provider_benchmark_id ?? input.benchmark_id,
      provider_id: providerId,
      type: "benchmark",
      owner: null,
      source: "via_register_api",
      dataset_id: input.dataset_id,
      scoring_functions: input.scoring_functions,
      metadata: input.metadata ?? {},
    };
    const existing = this.find(benchmark.identifier);
    // Re-registering the same object is a no-op upstream; a different one must be unregistered first.
    if (existing && JSON.stringify(existing) !== JSON.stringify(benchmark)) {
      throw new InvalidValueError(
        `Object of type 'benchmark' and identifier '${benchmark.identifier}' already exists. Unregister it first if you want to replace it.`,
      );
    }
    this.db
      .prepare(
        `INSERT INTO registry_benchmarks (identifier, data, seq) VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM registry_benchmarks))
         ON CONFLICT(identifier) DO NOTHING`,
      )
      .run(benchmark.identifier, JSON.stringify(benchmark));
  }

  find(id: string): Benchmark | undefined {
    const row = this.db.prepare("SELECT data FROM registry_benchmarks WHERE identifier = ?").get(id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Benchmark) : undefined;
  }

  get(id: string): Benchmark {
    const benchmark = this.find(id);
    if (!benchmark) throw new InvalidValueError(`Benchmark '${id}' not found`);
    return benchmark;
  }

  /** The lookup the eval router does before calling a provider, with its error when nothing serves the id. */
  served(id: string): Benchmark {
    const benchmark = this.find(id);
    if (benchmark) return benchmark;
    const providers =
      this.evalProviderIds.length > 1
        ? `any of the providers: ${this.evalProviderIds.join(", ")}`
        : `provider: \`${this.evalProviderIds[0] ?? ""}\``;
    throw new InvalidValueError(
      `Benchmark \`${id}\` not served by ${providers}. Make sure there is an Eval provider serving this benchmark.`,
    );
  }

  list(): Benchmark[] {
    const rows = this.db.prepare("SELECT data FROM registry_benchmarks ORDER BY seq").all() as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as Benchmark);
  }

  unregister(id: string): void {
    this.get(id);
    this.db.prepare("DELETE FROM registry_benchmarks WHERE identifier = ?").run(id);
  }
}
