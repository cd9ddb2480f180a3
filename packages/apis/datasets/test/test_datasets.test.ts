import { upstreamTest, type UpstreamCase } from "@llama-stack-tests/stack";
import { qaCsvDataUrl, requireRoutes } from "@llama-stack-tests/test-fixtures";
import type LlamaStackClient from "llama-stack-client";
import { expect } from "vitest";

type RegisterParams = LlamaStackClient.Beta.DatasetRegisterParams;

interface RegisterCase {
  purpose: RegisterParams["purpose"];
  source: RegisterParams["source"];
  providerId: string;
  limit: number;
}

/** pytest ids: strings and numbers as is, dict values as "<argname><index>". */
const CASES: UpstreamCase<RegisterCase>[] = [
  {
    id: "eval/messages-answer-source0-huggingface-10",
    value: {
      purpose: "eval/messages-answer",
      source: { type: "uri", uri: "huggingface://datasets/llamastack/simpleqa?split=train" },
      providerId: "huggingface",
      limit: 10,
    },
  },
  {
    id: "eval/messages-answer-source1-localfs-2",
    value: {
      purpose: "eval/messages-answer",
      source: {
        type: "rows",
        rows: [
          { messages: [{ role: "user", content: "Hello, world!" }], answer: "Hello, world!" },
          { messages: [{ role: "user", content: "What is the capital of France?" }], answer: "Paris" },
        ],
      },
      providerId: "localfs",
      limit: 2,
    },
  },
  {
    id: "eval/messages-answer-source2-localfs-5",
    value: { purpose: "eval/messages-answer", source: { type: "uri", uri: qaCsvDataUrl() }, providerId: "localfs", limit: 5 },
  },
];

async function servesDatasetioType(t: { fetch(path: string): Promise<Response> }, providerType: string): Promise<boolean> {
  const routes = (await (await t.fetch("/v1/inspect/routes")).json()) as { data: { route: string; provider_types: string[] }[] };
  return routes.data.some((r) => r.route.startsWith("/v1beta/datasetio/") && r.provider_types.includes(providerType));
}

upstreamTest(
  { file: "tests/integration/datasets/test_datasets.py", name: "test_register_and_iterrows", cases: CASES },
  async (t) => {
    await requireRoutes(t, [
      ["GET", "/v1beta/datasets"],
      ["GET", "/v1beta/datasetio/iterrows/{dataset_id:path}"],
    ]);
    const { purpose, source, providerId, limit } = t.param;
    // Capability skip: huggingface:// sources need a remote::huggingface DatasetIO provider (and the Hub online).
    // Read from the route listing: the provider list would run provider health checks upstream never sent here.
    if (providerId === "huggingface" && !(await servesDatasetioType(t, "remote::huggingface"))) {
      t.skip("stack has no huggingface datasetio provider");
    }

    const dataset = await t.client.beta.datasets.register({ purpose, source });
    expect(dataset.identifier).toBeTruthy();
    expect(dataset.provider_id).toBe(providerId);

    const page = await t.client.beta.datasets.iterrows(dataset.identifier, { limit });
    expect(page.data).toHaveLength(limit);

    expect((await t.client.beta.datasets.list()).map((d) => d.identifier)).toContain(dataset.identifier);

    await t.client.beta.datasets.unregister(dataset.identifier);
    expect((await t.client.beta.datasets.list()).map((d) => d.identifier)).not.toContain(dataset.identifier);
  },
);
