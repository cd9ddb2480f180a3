import { z } from "zod";

/**
 * Request shapes of the Eval routes (spec: EvaluateRowsRequest, RunEvalRequest, BenchmarkConfig). Unknown
 * keys are dropped as pydantic ignores them (upstream's own test sends `temperature` in sampling_params).
 */

const samplingStrategy = z.discriminatedUnion("type", [
  z.object({ type: z.literal("greedy") }),
  z.object({ type: z.literal("top_p"), temperature: z.number().nullish(), top_p: z.number().nullish() }),
  z.object({ type: z.literal("top_k"), top_k: z.number().int().min(1) }),
]);

const samplingParams = z.object({
  strategy: samplingStrategy.optional(),
  max_tokens: z.number().int().nullish(),
  repetition_penalty: z.number().nullish(),
  stop: z.array(z.string()).nullish(),
});

const textItem = z.object({ type: z.literal("text"), text: z.string() });

const systemMessage = z.object({
  role: z.literal("system").default("system"),
  content: z.union([z.string(), textItem, z.array(textItem)]),
});

const modelCandidate = z.object({
  type: z.literal("model").default("model"),
  model: z.string(),
  sampling_params: samplingParams,
  system_message: systemMessage.nullish(),
});

/** Params of one scoring function, passed to scoring as given; `type` selects the params model upstream. */
const scoringFnParams = z.object({ type: z.enum(["basic", "llm_as_judge", "regex_parser"]) }).passthrough();

export const benchmarkConfig = z.object({
  eval_candidate: modelCandidate,
  scoring_params: z.record(scoringFnParams).default({}),
  num_examples: z.number().int().nullish(),
});

export const evaluateRowsRequest = z.object({
  input_rows: z.array(z.record(z.unknown())),
  scoring_functions: z.array(z.string()),
  benchmark_config: benchmarkConfig,
});

export const runEvalRequest = z.object({ benchmark_config: benchmarkConfig });

export type BenchmarkConfig = z.infer<typeof benchmarkConfig>;
export type ModelCandidate = BenchmarkConfig["eval_candidate"];
