/** What the eval provider returns, and the services it reads rows from and scores with. */

export type Row = Record<string, unknown>;

export interface ScoringResult {
  score_rows: Row[];
  aggregated_results: Record<string, unknown>;
}

export interface EvaluateResponse {
  generations: Row[];
  /** Scoring function id -> its result. */
  scores: Record<string, ScoringResult>;
}

export type JobStatus = "completed" | "in_progress" | "failed" | "scheduled" | "cancelled";

export interface Job {
  job_id: string;
  status: JobStatus;
}

/** The part of the datasets service eval uses (DatasetsService satisfies it). */
export interface RowSource {
  iterrows(datasetId: string, startIndex?: number, limit?: number): Promise<{ data: Row[]; has_more: boolean }>;
}

/** The part of the scoring service eval uses (ScoringService satisfies it). */
export interface Scorer {
  score(inputRows: Row[], scoringFunctions: Record<string, unknown | null>): Promise<{ results: Record<string, ScoringResult> }>;
}
