import { randomUUID } from "node:crypto";

import { upstreamTest, type UpstreamTestContext } from "@llama-stack-tests/stack";
import { qaCsvDataUrl, requireRoutes } from "@llama-stack-tests/test-fixtures";
import type LlamaStackClient from "llama-stack-client";
import { expect } from "vitest";

const file = "tests/integration/eval/test_eval.py";

const DATASET_ROUTES = [
  ["GET", "/v1beta/datasets"],
  ["GET", "/v1beta/datasetio/iterrows/{dataset_id:path}"],
  ["GET", "/v1alpha/eval/benchmarks"],
] as const;

/** Upstream's candidate, sent as is: greedy-equivalent sampling via temperature 0, 512 tokens. */
function benchmarkConfig(model: string): LlamaStackClient.Alpha.BenchmarkConfig {
  const candidate = { type: "model", model, sampling_params: { temperature: 0.0, max_tokens: 512 } };
  return { eval_candidate: candidate as unknown as LlamaStackClient.Alpha.BenchmarkConfig["eval_candidate"] };
}

async function registerQaDataset<P>(t: UpstreamTestContext<P>): Promise<string> {
  const dataset = await t.client.beta.datasets.register({
    purpose: "eval/messages-answer",
    source: { type: "uri", uri: qaCsvDataUrl() },
  });
  return dataset.identifier;
}

function requireText<P>(t: UpstreamTestContext<P>): string {
  const model = t.models.text;
  if (model === undefined) t.skip("text_model_id empty - skipping test");
  return model;
}

upstreamTest(
  { file, name: "test_evaluate_rows", models: ["text_model_id"], cases: [{ id: "basic::equality", value: "basic::equality" }] },
  async (t) => {
    await requireRoutes(t, [...DATASET_ROUTES, ["POST", "/v1alpha/eval/benchmarks/{benchmark_id}/evaluations"]]);
    const textModel = requireText(t);
    const scoringFnId = t.param;

    const datasetId = await registerQaDataset(t);
    expect((await t.client.beta.datasets.list()).some((d) => d.identifier === datasetId)).toBe(true);

    const rows = await t.client.beta.datasets.iterrows(datasetId, { limit: 3 });
    expect(rows.data).toHaveLength(3);

    const benchmarkId = randomUUID();
    await t.client.alpha.benchmarks.register({ benchmark_id: benchmarkId, dataset_id: datasetId, scoring_functions: [scoringFnId] });
    expect((await t.client.alpha.benchmarks.list()).some((b) => b.identifier === benchmarkId)).toBe(true);

    const response = await t.client.alpha.eval.evaluateRows(benchmarkId, {
      input_rows: rows.data,
      scoring_functions: [scoringFnId],
      benchmark_config: benchmarkConfig(textModel),
    });
    expect(response.generations).toHaveLength(3);
    expect(response.scores).toHaveProperty([scoringFnId]);
  },
);

upstreamTest(
  { file, name: "test_evaluate_benchmark", models: ["text_model_id"], cases: [{ id: "basic::subset_of", value: "basic::subset_of" }] },
  async (t) => {
    await requireRoutes(t, [
      ...DATASET_ROUTES,
      ["POST", "/v1alpha/eval/benchmarks/{benchmark_id}/jobs"],
      ["GET", "/v1alpha/eval/benchmarks/{benchmark_id}/jobs/{job_id}"],
      ["GET", "/v1alpha/eval/benchmarks/{benchmark_id}/jobs/{job_id}/result"],
    ]);
    const textModel = requireText(t);
    const scoringFnId = t.param;

    const datasetId = await registerQaDataset(t);
    const benchmarkId = randomUUID();
    await t.client.alpha.benchmarks.register({ benchmark_id: benchmarkId, dataset_id: datasetId, scoring_functions: [scoringFnId] });

    const job = await t.client.alpha.eval.runEval(benchmarkId, { benchmark_config: benchmarkConfig(textModel) });
    // The reference provider numbers jobs from "0" and runs them to completion before answering.
    expect(job.job_id).toBe("0");
    const status = await t.client.alpha.eval.jobs.status(benchmarkId, job.job_id);
    expect(status.status).toBe("completed");

    const result = await t.client.alpha.eval.jobs.retrieve(benchmarkId, job.job_id);
    expect(result.generations).toHaveLength(5);
    expect(result.scores).toHaveProperty([scoringFnId]);
  },
);
