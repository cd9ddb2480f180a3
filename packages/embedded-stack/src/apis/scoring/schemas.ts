import { z } from "zod";

/** Request shapes of the Scoring and ScoringFunctions routes (spec: ScoreRequest, ScoreBatchRequest, RegisterScoringFunctionRequest). */

const aggregationFunctions = z
  .array(z.enum(["average", "weighted_average", "median", "categorical_count", "accuracy"]))
  .default([]);

export const scoringFnParams = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("llm_as_judge"),
    judge_model: z.string(),
    prompt_template: z.string().nullish().transform((v) => v ?? null),
    judge_score_regexes: z.array(z.string()).default([]),
    aggregation_functions: aggregationFunctions,
  }),
  z.object({
    type: z.literal("regex_parser"),
    parsing_regexes: z.array(z.string()).default([]),
    aggregation_functions: aggregationFunctions,
  }),
  z.object({ type: z.literal("basic"), aggregation_functions: aggregationFunctions }),
]);

const scoringFunctions = z.record(scoringFnParams.nullable());

export const scoreBody = z.object({ input_rows: z.array(z.record(z.unknown())), scoring_functions: scoringFunctions });

export const scoreBatchBody = z.object({
  dataset_id: z.string(),
  scoring_functions: scoringFunctions,
  save_results_dataset: z.boolean().default(false),
});

const paramType = z
  .object({
    type: z.enum(["string", "number", "boolean", "array", "object", "json", "union", "chat_completion_input", "completion_input"]),
  })
  .passthrough();

export const registerScoringFnBody = z.object({
  scoring_fn_id: z.string(),
  description: z.string(),
  return_type: paramType,
  provider_scoring_fn_id: z.string().nullish(),
  provider_id: z.string().nullish(),
  params: scoringFnParams.nullish(),
});
