import { upstreamTest, type UpstreamTestContext } from "@llama-stack-tests/stack";
import { expect } from "vitest";
import {
  DUMMY_STRING,
  DUMMY_STRING2,
  DUMMY_TEXT,
  DUMMY_TEXT2,
  IMAGE_CASES,
  SEMANTIC_CASES,
  TEXT_CASES,
  type RerankItem,
} from "./data/rerank-cases.js";
import { expectApiError } from "./support/compat.js";
import { requiredModel } from "./support/models.js";
import { firstInferenceProviderType } from "./support/providers.js";

const FILE = "tests/integration/inference/test_rerank.py";
const RERANK = ["rerank_model_id"] as const;
const RERANK_PROVIDERS = ["remote::nvidia"];
/** Rerank models upstream knows to accept image input: none yet. */
const MODELS_SUPPORTING_MEDIA: readonly string[] = [];

interface RerankResult {
  index: number;
  relevance_score: number;
}

async function prepare(t: UpstreamTestContext<unknown>): Promise<string> {
  const model = requiredModel(t, "rerank");
  const providerType = await firstInferenceProviderType(t);
  if (!RERANK_PROVIDERS.includes(providerType)) t.skip(`${providerType} doesn't support rerank models`);
  return model;
}

type RerankParams = Parameters<UpstreamTestContext<unknown>["client"]["alpha"]["inference"]["rerank"]>[0];

async function rerank(
  t: UpstreamTestContext<unknown>,
  body: { model: string; query: RerankItem; items: RerankItem[]; max_num_results?: number },
): Promise<RerankResult[]> {
  // Legacy image items are sent on purpose (the API must reject them), so the SDK type is widened.
  return t.client.alpha.inference.rerank(body as RerankParams);
}

/** In-range, unique indices with float scores in non-increasing order. */
function expectValidRanking(response: RerankResult[], items: readonly RerankItem[]): void {
  expect(Array.isArray(response)).toBe(true);
  const seen = new Set<number>();
  let last = Number.POSITIVE_INFINITY;
  for (const { index, relevance_score } of response) {
    expect(Number.isInteger(index) && index >= 0 && index < items.length, `index ${index} out of bounds`).toBe(true);
    expect(seen.has(index), `Duplicate index ${index} found`).toBe(false);
    seen.add(index);
    expect(typeof relevance_score).toBe("number");
    expect(relevance_score, "scores in descending order").toBeLessThanOrEqual(last);
    last = relevance_score;
  }
}

upstreamTest({ file: FILE, name: "test_rerank_text", models: RERANK, cases: TEXT_CASES }, async (t) => {
  const model = await prepare(t);
  const { query, items } = t.param;
  const response = await rerank(t, { model, query, items });
  expect(response.length).toBeLessThanOrEqual(items.length);
  expectValidRanking(response, items);
});

upstreamTest({ file: FILE, name: "test_rerank_image", models: RERANK, cases: IMAGE_CASES }, async (t) => {
  const model = await prepare(t);
  const { query, items } = t.param;
  if (!MODELS_SUPPORTING_MEDIA.includes(model)) {
    const error = await expectApiError(rerank(t, { model, query, items }));
    expect(error.status).toBe(400);
    return;
  }
  const response = await rerank(t, { model, query, items });
  expect(response.length).toBeLessThanOrEqual(items.length);
  expectValidRanking(response, items);
});

upstreamTest({ file: FILE, name: "test_rerank_max_results", models: RERANK }, async (t) => {
  const model = await prepare(t);
  const items = [DUMMY_STRING, DUMMY_STRING2, DUMMY_TEXT, DUMMY_TEXT2];
  const response = await rerank(t, { model, query: DUMMY_STRING, items, max_num_results: 2 });
  expect(response).toHaveLength(2);
  expectValidRanking(response, items);
});

upstreamTest({ file: FILE, name: "test_rerank_max_results_larger_than_items", models: RERANK }, async (t) => {
  const model = await prepare(t);
  const items = [DUMMY_STRING, DUMMY_STRING2];
  const response = await rerank(t, { model, query: DUMMY_STRING, items, max_num_results: 10 });
  expect(response.length).toBeLessThanOrEqual(items.length);
  expectValidRanking(response, items);
});

upstreamTest({ file: FILE, name: "test_rerank_semantic_correctness", models: RERANK, cases: SEMANTIC_CASES }, async (t) => {
  const model = await prepare(t);
  const { query, items, expectedFirst } = t.param;
  const response = await rerank(t, { model, query, items });
  expectValidRanking(response, items);
  expect(response.length, "No ranking data returned in response").toBeGreaterThan(0);
  if (t.can("answer_quality", `'${expectedFirst.trim()}' ranks first`)) {
    expect(items[response[0]!.index]).toBe(expectedFirst);
  }
});
