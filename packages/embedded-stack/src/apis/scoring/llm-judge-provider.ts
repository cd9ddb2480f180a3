/**
 * Upstream's inline::llm-as-judge scoring provider: each row's question, expected and generated answer
 * fill the prompt template, the judge model answers through the stack's inference router (so the call
 * carries the request's test id), and the first judge_score_regexes match is the row's score.
 */
import type { InferenceRouter, JsonObject } from "../../server/types.js";
import { InvalidValueError } from "../../server/errors.js";
import { aggregateMetrics } from "./aggregation.js";
import { builtinFn, column, FunctionDefs, type ScoringProvider } from "./provider.js";
import { pyFormat } from "./python-format.js";
import { firstGroup } from "./python-regex.js";
import type { Row, ScoringFn, ScoringFnParams, ScoringResult } from "./types.js";

const BUILTINS: ScoringFn[] = [
  builtinFn({
    identifier: "llm-as-judge::base",
    provider_id: "llm-as-judge",
    provider_resource_id: "llm-as-judge-base",
    description: "A judge model grades each row with the prompt template given in the call's params.",
    // Upstream's placeholder: calls are expected to bring their own judge model and template.
    params: {
      type: "llm_as_judge",
      judge_model: "meta-llama/Llama-3.1-405B-Instruct",
      prompt_template: "Enter custom LLM as Judge Prompt Template",
      judge_score_regexes: [],
      aggregation_functions: [],
    },
  }),
];

export class LlmAsJudgeScoringProvider implements ScoringProvider {
  readonly providerType = "inline::llm-as-judge";
  private readonly defs = new FunctionDefs(BUILTINS);

  constructor(
    private readonly providerId: string,
    private readonly inference: InferenceRouter,
  ) {}

  builtins(): ScoringFn[] {
    return BUILTINS.map((fn) => ({ ...structuredClone(fn), provider_id: this.providerId }));
  }

  register(fn: ScoringFn): void {
    if (this.defs.has(fn.identifier)) throw new InvalidValueError(`Scoring function def with identifier ${fn.identifier} already exists.`);
    this.defs.add(fn);
  }

  unregister(id: string): void {
    if (!this.defs.has(id)) throw new InvalidValueError(`Scoring function def with identifier ${id} does not exist.`);
    this.defs.delete(id);
  }

  async score(rows: Row[], fnId: string, params: ScoringFnParams | null): Promise<ScoringResult> {
    const scoreRows: Row[] = [];
    // One judge call at a time, in row order, as upstream makes them.
    for (const row of rows) scoreRows.push(await this.scoreRow(row, fnId, params));
    return { score_rows: scoreRows, aggregated_results: aggregateMetrics(scoreRows, this.defs.aggregationFunctions(fnId, params)) };
  }

  private async scoreRow(row: Row, fnId: string, params: ScoringFnParams | null): Promise<Row> {
    const judge = this.defs.overrideParams(fnId, params);
    if (judge?.type !== "llm_as_judge") throw new Error(`LLM-as-judge function ${fnId} needs llm_as_judge params`);
    if (judge.prompt_template === null) throw new Error(`LLM-as-judge function ${fnId} has no prompt_template`);
    const prompt = pyFormat(judge.prompt_template, {
      input_query: column(row, fnId, "input_query"),
      expected_answer: column(row, fnId, "expected_answer"),
      generated_answer: column(row, fnId, "generated_answer"),
    });
    const response = (await this.inference.chatCompletion({
      model: judge.judge_model,
      messages: [{ role: "user", content: prompt }],
    })) as JsonObject;
    const choices = response.choices as { message?: { content?: unknown } }[] | undefined;
    const content = choices?.[0]?.message?.content ?? null;
    let rating: string | null = null;
    for (const regex of judge.judge_score_regexes) {
      rating = firstGroup(regex, content);
      if (rating !== null) break;
    }
    return { score: rating, judge_feedback: content };
  }
}
