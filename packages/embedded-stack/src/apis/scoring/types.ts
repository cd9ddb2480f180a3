/** Wire types of the Scoring and ScoringFunctions APIs. */

export type AggregationFunction = "average" | "weighted_average" | "median" | "categorical_count" | "accuracy";

export interface LlmAsJudgeParams {
  type: "llm_as_judge";
  judge_model: string;
  prompt_template: string | null;
  judge_score_regexes: string[];
  aggregation_functions: AggregationFunction[];
}

export interface RegexParserParams {
  type: "regex_parser";
  parsing_regexes: string[];
  aggregation_functions: AggregationFunction[];
}

export interface BasicParams {
  type: "basic";
  aggregation_functions: AggregationFunction[];
}

export type ScoringFnParams = LlmAsJudgeParams | RegexParserParams | BasicParams;

/** Upstream's ParamType: a tagged type descriptor such as `{ "type": "number" }`. */
export type ParamType = { type: string } & Record<string, unknown>;

/** A registered scoring function as upstream's routing table returns it (ScoringFnWithOwner). */
export interface ScoringFn {
  identifier: string;
  provider_resource_id: string | null;
  provider_id: string;
  type: "scoring_function";
  owner: null;
  source: "via_register_api";
  description: string | null;
  metadata: Record<string, unknown>;
  return_type: ParamType;
  params: ScoringFnParams | null;
}

export type Row = Record<string, unknown>;
export type ScoreRow = Record<string, unknown>;

export interface ScoringResult {
  score_rows: ScoreRow[];
  aggregated_results: Record<string, unknown>;
}

export interface ScoreResponse {
  results: Record<string, ScoringResult>;
}

export interface ScoreBatchResponse {
  dataset_id: string | null;
  results: Record<string, ScoringResult>;
}
