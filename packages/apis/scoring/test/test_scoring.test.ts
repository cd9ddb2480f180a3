import { upstreamTest, type UpstreamTestContext } from "@llama-stack-tests/stack";
import { QA_ROWS, requireRoutes } from "@llama-stack-tests/test-fixtures";
import type LlamaStackClient from "llama-stack-client";
import { expect } from "vitest";

const file = "tests/integration/scoring/test_scoring.py";
const JUDGE_PROMPT_TEMPLATE =
  "Output a number response in the following format: Score: <number>, where <number> is the number between 0 and 9.";
const SCORING_FN_ID = "llm-as-judge-test-prompt";
const SCORE_REGEX = String.raw`Score: (\d+)`;

type ScoringFunctions = LlamaStackClient.ScoringScoreParams["scoring_functions"];

const LIST_ROUTE = ["GET", "/v1/scoring-functions"] as const;
const SCORE_ROUTE = ["POST", "/v1/scoring/score"] as const;

/** Rows as pandas' to_dict(orient="records") gives them: one object per CSV row. */
const INPUT_ROWS = QA_ROWS.map((row) => ({ ...row }));

function requireJudge<P>(t: UpstreamTestContext<P>): string {
  const judge = t.models.judge;
  if (judge === undefined) t.skip("judge_model_id empty - skipping test");
  return judge;
}

async function llmAsJudgeProviderId<P>(t: UpstreamTestContext<P>, action: string): Promise<string> {
  const providers = (await t.client.providers.list()).filter(
    (p) => p.api === "scoring" && p.provider_type === "inline::llm-as-judge",
  );
  const first = providers[0];
  if (first === undefined) t.skip(`No llm-as-judge provider found, cannot test ${action}`);
  return first.provider_id;
}

async function registerJudgeFunction<P>(t: UpstreamTestContext<P>, providerId: string, judgeModel: string): Promise<void> {
  await t.client.scoringFunctions.register({
    scoring_fn_id: SCORING_FN_ID,
    provider_id: providerId,
    description: "LLM as judge scoring function with test prompt",
    return_type: { type: "string" },
    params: { type: "llm_as_judge", judge_model: judgeModel, prompt_template: JUDGE_PROMPT_TEMPLATE },
  });
}

function expectResultsFor(response: LlamaStackClient.ScoringScoreResponse, functions: ScoringFunctions): void {
  expect(Object.keys(response.results)).toHaveLength(Object.keys(functions).length);
  for (const fn of Object.keys(functions)) {
    expect(response.results).toHaveProperty([fn]);
    expect(response.results[fn]?.score_rows).toHaveLength(INPUT_ROWS.length);
  }
}

upstreamTest({ file, name: "test_scoring_functions_list" }, async (t) => {
  await requireRoutes(t, [LIST_ROUTE]);
  const functions = await t.client.scoringFunctions.list();
  expect(Array.isArray(functions)).toBe(true);
  expect(functions.length).toBeGreaterThan(0);
});

upstreamTest({ file, name: "test_scoring_functions_register", models: ["judge_model_id"] }, async (t) => {
  await requireRoutes(t, [LIST_ROUTE]);
  const judge = requireJudge(t);
  const providerId = await llmAsJudgeProviderId(t, "registeration");

  await registerJudgeFunction(t, providerId, judge);

  const functions = await t.client.scoringFunctions.list();
  expect(functions.length).toBeGreaterThan(0);
  expect(functions.some((f) => f.identifier === SCORING_FN_ID)).toBe(true);
});

upstreamTest({ file, name: "test_scoring_functions_unregister", models: ["judge_model_id"] }, async (t) => {
  await requireRoutes(t, [LIST_ROUTE]);
  const judge = requireJudge(t);
  const providerId = await llmAsJudgeProviderId(t, "unregister");

  await registerJudgeFunction(t, providerId, judge);
  expect((await t.client.scoringFunctions.list()).some((f) => f.identifier === SCORING_FN_ID)).toBe(true);

  // Upstream unregisters over plain HTTP rather than through the SDK.
  const response = await t.fetch(`/v1/scoring-functions/${encodeURIComponent(SCORING_FN_ID)}`, { method: "DELETE" });
  expect([200, 204]).toContain(response.status);
  expect((await t.client.scoringFunctions.list()).every((f) => f.identifier !== SCORING_FN_ID)).toBe(true);
});

upstreamTest(
  { file, name: "test_scoring_score", cases: [{ id: "basic::equality", value: "basic::equality" }] },
  async (t) => {
    await requireRoutes(t, [SCORE_ROUTE]);
    const functions: ScoringFunctions = { [t.param]: null };

    const response = await t.client.scoring.score({ input_rows: INPUT_ROWS, scoring_functions: functions });

    expectResultsFor(response, functions);
  },
);

upstreamTest({ file, name: "test_scoring_score_with_params_llm_as_judge", models: ["judge_model_id"] }, async (t) => {
  await requireRoutes(t, [SCORE_ROUTE]);
  const judge = requireJudge(t);
  const functions: ScoringFunctions = {
    "llm-as-judge::base": {
      type: "llm_as_judge",
      judge_model: judge,
      prompt_template: JUDGE_PROMPT_TEMPLATE,
      judge_score_regexes: [SCORE_REGEX],
      aggregation_functions: ["categorical_count"],
    },
  };

  const response = await t.client.scoring.score({ input_rows: INPUT_ROWS, scoring_functions: functions });

  expectResultsFor(response, functions);
});

type AggregationFunction = "accuracy" | "median" | "categorical_count" | "average";

/** Upstream's choice of params for the provider's first scoring function. */
function aggregationParams(
  fn: { identifier: string; provider_id: string },
  judge: string,
): { functions: ScoringFunctions; aggregations: AggregationFunction[] } {
  if (fn.provider_id === "llm-as-judge") {
    const aggregations: AggregationFunction[] = ["categorical_count"];
    return {
      aggregations,
      functions: {
        [fn.identifier]: {
          type: "llm_as_judge",
          judge_model: judge,
          prompt_template: JUDGE_PROMPT_TEMPLATE,
          judge_score_regexes: [SCORE_REGEX],
          aggregation_functions: aggregations,
        },
      },
    };
  }
  const aggregations: AggregationFunction[] = ["accuracy", "median", "categorical_count", "average"];
  if (fn.provider_id === "basic" || fn.provider_id === "braintrust") {
    const params = fn.identifier.includes("regex_parser")
      ? { type: "regex_parser" as const, parsing_regexes: [SCORE_REGEX], aggregation_functions: aggregations }
      : { type: "basic" as const, aggregation_functions: aggregations };
    return { aggregations, functions: { [fn.identifier]: params } };
  }
  return { aggregations, functions: { [fn.identifier]: null } };
}

upstreamTest(
  {
    file,
    name: "test_scoring_score_with_aggregation_functions",
    models: ["judge_model_id"],
    cases: ["basic", "llm-as-judge", "braintrust"].map((p) => ({ id: p, value: p })),
  },
  async (t) => {
    await requireRoutes(t, [LIST_ROUTE, SCORE_ROUTE]);
    const judge = requireJudge(t);
    const providerId = t.param;
    const fn = (await t.client.scoringFunctions.list()).find((f) => f.provider_id === providerId);
    if (fn === undefined) return t.skip(`No scoring functions found for provider ${providerId}, skipping`);
    const { functions, aggregations } = aggregationParams(fn, judge);

    const response = await t.client.scoring.score({ input_rows: INPUT_ROWS, scoring_functions: functions });

    expectResultsFor(response, functions);
    for (const name of Object.keys(functions)) {
      expect(Object.keys(response.results[name]?.aggregated_results ?? {})).toHaveLength(aggregations.length);
    }
  },
);
