/**
 * Upstream's inline meta-reference eval provider behind its eval router: evaluate rows (generate, then
 * score), and run a benchmark's dataset as a job that completes before the call returns. Jobs live in
 * memory and are numbered from "0" across benchmarks, as upstream numbers them.
 */
import { HttpError, InvalidValueError } from "../../server/errors.js";
import type { InferenceRouter } from "../../server/types.js";
import type { BenchmarkRegistry } from "../benchmarks/registry.js";
import { generateAnswers } from "./generation.js";
import type { BenchmarkConfig } from "./schemas.js";
import type { EvaluateResponse, Job, Row, RowSource, Scorer } from "./types.js";

class NotImplementedError extends HttpError {
  constructor(message: string) {
    super(501, `Not implemented: ${message}`);
    this.name = "NotImplementedError";
  }
}

export interface EvalDeps {
  benchmarks: BenchmarkRegistry;
  inference: InferenceRouter;
  datasets: RowSource;
  scoring: Scorer;
}

export class EvalService {
  private readonly jobs = new Map<string, EvaluateResponse>();

  constructor(private readonly deps: EvalDeps) {}

  async evaluateRows(benchmarkId: string, inputRows: Row[], scoringFunctions: string[], config: BenchmarkConfig): Promise<EvaluateResponse> {
    this.deps.benchmarks.served(benchmarkId);
    const generations = await generateAnswers(inputRows, config.eval_candidate, this.deps.inference);
    // Rows scored are the input rows with their generated answer merged in (zip: the shorter list wins).
    const scoreRows = generations.map((generated, i) => ({ ...inputRows[i], ...generated }));
    const params = Object.fromEntries(scoringFunctions.map((id) => [id, config.scoring_params[id] ?? null]));
    const { results } = await this.deps.scoring.score(scoreRows, params);
    return { generations, scores: results };
  }

  async runEval(benchmarkId: string, config: BenchmarkConfig): Promise<Job> {
    const benchmark = this.deps.benchmarks.served(benchmarkId);
    const limit = config.num_examples ?? -1;
    const rows = await this.deps.datasets.iterrows(benchmark.dataset_id, undefined, limit);
    const result = await this.evaluateRows(benchmarkId, rows.data, benchmark.scoring_functions, config);
    const jobId = String(this.jobs.size);
    this.jobs.set(jobId, result);
    return { job_id: jobId, status: "completed" };
  }

  status(benchmarkId: string, jobId: string): Job {
    this.deps.benchmarks.served(benchmarkId);
    if (!this.jobs.has(jobId)) throw new InvalidValueError(`Job ${jobId} not found`);
    return { job_id: jobId, status: "completed" };
  }

  cancel(benchmarkId: string, _jobId: string): never {
    this.deps.benchmarks.served(benchmarkId);
    throw new NotImplementedError("Job cancel is not implemented yet");
  }

  result(benchmarkId: string, jobId: string): EvaluateResponse {
    this.status(benchmarkId, jobId);
    return this.jobs.get(jobId) as EvaluateResponse;
  }
}
