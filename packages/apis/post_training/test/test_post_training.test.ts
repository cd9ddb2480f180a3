import { randomUUID } from "node:crypto";

import { upstreamTest, type UpstreamCase, type UpstreamTestContext } from "@llama-stack-tests/stack";
import { requireRoutes } from "@llama-stack-tests/test-fixtures";
import type LlamaStackClient from "llama-stack-client";
import { expect } from "vitest";

import { jobArtifacts, preferenceOptimize, supervisedFineTune, waitForCompletion } from "./post-training-api.js";

const file = "tests/integration/post_training/test_post_training.py";
const SIX_MINUTES = 360_000;

interface DatasetCase {
  purpose: string;
  source: { type: "uri"; uri: string };
}

function datasetCase(uri: string): UpstreamCase<DatasetCase>[] {
  // pytest ids: the purpose string, then the dict parameter as "source0".
  return [{ id: "post-training/messages-source0", value: { purpose: "post-training/messages", source: { type: "uri", uri } } }];
}

const JOB_ROUTES = [
  ["GET", "/v1beta/datasets"],
  ["GET", "/v1alpha/post-training/job/status"],
  ["GET", "/v1alpha/post-training/job/artifacts"],
] as const;

async function registerDataset(t: UpstreamTestContext<DatasetCase>): Promise<string> {
  // "post-training/messages" is a purpose the server accepts but the SDK's type does not list.
  const params = { purpose: t.param.purpose, source: t.param.source } as unknown as LlamaStackClient.Beta.DatasetRegisterParams;
  const dataset = await t.client.beta.datasets.register(params);
  expect(dataset.identifier).toBeTruthy();
  return dataset.identifier;
}

function trainingConfig(datasetId: string, dataFormat: "instruct" | "dialog"): Record<string, unknown> {
  return {
    n_epochs: 1,
    data_config: { dataset_id: datasetId, batch_size: 1, shuffle: false, data_format: dataFormat },
    max_steps_per_epoch: 1,
    gradient_accumulation_steps: 1,
  };
}

upstreamTest(
  {
    file,
    name: "TestPostTraining::test_supervised_fine_tune",
    cases: datasetCase("huggingface://datasets/llamastack/simpleqa?split=train"),
    timeout: SIX_MINUTES,
  },
  async (t) => {
    await requireRoutes(t, [...JOB_ROUTES, ["POST", "/v1alpha/post-training/supervised-fine-tune"]]);
    const datasetId = await registerDataset(t);
    const jobUuid = `test-job${randomUUID()}`;

    await supervisedFineTune(t, {
      job_uuid: jobUuid,
      model: "HuggingFaceTB/SmolLM2-135M-Instruct",
      algorithm_config: {
        type: "LoRA",
        lora_attn_modules: ["q_proj", "v_proj", "output_proj"],
        apply_lora_to_mlp: true,
        apply_lora_to_output: false,
        rank: 8,
        alpha: 16,
      },
      training_config: trainingConfig(datasetId, "instruct"),
      hyperparam_search_config: {},
      logger_config: {},
      checkpoint_dir: null,
    });

    const seen = await waitForCompletion(t, jobUuid, ["scheduled", "in_progress", "completed"]);
    expect(seen.at(-1)).toBe("completed");
    const artifacts = await jobArtifacts(t, jobUuid);
    expect(artifacts?.job_uuid).toBe(jobUuid);
  },
);

upstreamTest(
  {
    file,
    name: "TestPostTraining::test_preference_optimize",
    cases: datasetCase("huggingface://datasets/trl-internal-testing/hh-rlhf-helpful-base-trl-style?split=train[:20]"),
    timeout: SIX_MINUTES,
  },
  async (t) => {
    await requireRoutes(t, [...JOB_ROUTES, ["POST", "/v1alpha/post-training/preference-optimize"]]);
    const datasetId = await registerDataset(t);
    const jobUuid = `test-dpo-job-${randomUUID()}`;

    await preferenceOptimize(t, {
      job_uuid: jobUuid,
      finetuned_model: "distilgpt2",
      algorithm_config: { beta: 0.1, loss_type: "sigmoid" },
      training_config: trainingConfig(datasetId, "dialog"),
      hyperparam_search_config: {},
      logger_config: {},
    });

    // Upstream only waits for "completed" here; a failed or cancelled job fails rather than hangs.
    const seen = await waitForCompletion(t, jobUuid, ["scheduled", "in_progress", "completed"]);
    expect(seen.at(-1)).toBe("completed");
    const artifacts = await jobArtifacts(t, jobUuid);
    expect(artifacts?.job_uuid).toBe(jobUuid);
  },
);
