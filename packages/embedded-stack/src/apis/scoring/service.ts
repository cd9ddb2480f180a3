/**
 * The scoring router: each requested function goes to the provider that serves it, and the results
 * are merged by function id. score-batch scores every row of a registered dataset.
 */
import type { Database } from "better-sqlite3";
import type { ProviderConfig } from "../../config/types.js";
import type { InferenceRouter } from "../../server/types.js";
import type { DatasetsService } from "../datasets/service.js";
import { BasicScoringProvider } from "./basic-provider.js";
import { ScoringFunctionsRegistry } from "./functions-registry.js";
import { LlmAsJudgeScoringProvider } from "./llm-judge-provider.js";
import { ScoringNotImplementedError, type ScoringProvider } from "./provider.js";
import type { Row, ScoreBatchResponse, ScoreResponse, ScoringFnParams, ScoringResult } from "./types.js";

export class UnknownScoringProviderError extends Error {
  constructor(provider: ProviderConfig) {
    super(
      `Scoring provider '${provider.provider_id}' has type '${provider.provider_type}'; this stack implements inline::basic and inline::llm-as-judge`,
    );
    this.name = "UnknownScoringProviderError";
  }
}

export interface ScoringServiceDeps {
  db: Database;
  /** The run config's scoring providers. */
  providers: readonly ProviderConfig[];
  inference: InferenceRouter;
  datasets: DatasetsService;
}

export class ScoringService {
  readonly functions: ScoringFunctionsRegistry;
  private readonly datasets: DatasetsService;

  constructor(deps: ScoringServiceDeps) {
    const providers = new Map<string, ScoringProvider>();
    for (const p of deps.providers) providers.set(p.provider_id, createProvider(p, deps.inference));
    this.functions = new ScoringFunctionsRegistry(deps.db, providers);
    this.functions.start();
    this.datasets = deps.datasets;
  }

  async score(inputRows: Row[], scoringFunctions: Record<string, unknown | null>): Promise<ScoreResponse> {
    const results: Record<string, ScoringResult> = {};
    for (const [fnId, params] of Object.entries(scoringFunctions)) {
      const provider = this.functions.providerFor(fnId);
      results[fnId] = await provider.score(inputRows, fnId, (params ?? null) as ScoringFnParams | null);
    }
    return { results };
  }

  /** Upstream's providers check a dataset_schema field its Dataset no longer has, and fail; here the dataset's rows are scored. */
  async scoreBatch(datasetId: string, scoringFunctions: Record<string, ScoringFnParams | null>, saveResultsDataset: boolean): Promise<ScoreBatchResponse> {
    const results: Record<string, ScoringResult> = {};
    for (const [fnId, params] of Object.entries(scoringFunctions)) {
      const provider = this.functions.providerFor(fnId);
      this.datasets.get(datasetId);
      const { data } = await this.datasets.iterrows(datasetId, null, -1);
      results[fnId] = await provider.score(data, fnId, params);
    }
    if (saveResultsDataset) throw new ScoringNotImplementedError("Save results dataset not implemented yet");
    return { dataset_id: null, results };
  }
}

function createProvider(config: ProviderConfig, inference: InferenceRouter): ScoringProvider {
  if (config.provider_type === "inline::basic") return new BasicScoringProvider(config.provider_id);
  if (config.provider_type === "inline::llm-as-judge") return new LlmAsJudgeScoringProvider(config.provider_id, inference);
  throw new UnknownScoringProviderError(config);
}
