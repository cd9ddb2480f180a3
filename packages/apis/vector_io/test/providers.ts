/**
 * Upstream's vector_provider_wrapper and provider-support skips (tests/integration/conftest.py and
 * test_openai_vector_stores.py): each test runs once per vector_io provider id, and skips when the
 * stack does not list that provider or no listed provider supports the feature.
 */
import type { UpstreamCase, UpstreamTestContext } from "@llama-stack-tests/stack";

import { runOptions } from "./run-options.js";

/** Provider ids upstream parametrizes over: every known one in live mode, the CI pair otherwise. */
export function vectorProviderIds(mode: string = runOptions().inferenceMode): readonly string[] {
  return mode === "live"
    ? ["faiss", "sqlite-vec", "milvus", "chromadb", "pgvector", "weaviate", "qdrant"]
    : ["faiss", "sqlite-vec"];
}

/** One case per provider id; the id is the provider id, as pytest prints it. */
export function providerCases(): UpstreamCase<string>[] {
  return vectorProviderIds().map((id) => ({ id, value: id }));
}

/** Provider x a second, outer parametrize: pytest joins the inner (provider) id first. */
export function providerCrossCases<V>(values: readonly V[], idOf: (value: V, index: number) => string): UpstreamCase<{ provider: string; value: V }>[] {
  return vectorProviderIds().flatMap((provider) =>
    values.map((value, i) => ({ id: `${provider}-${idOf(value, i)}`, value: { provider, value } })),
  );
}

export interface VectorIoProvider {
  provider_id: string;
  provider_type: string;
}

export async function vectorIoProviders<P>(t: UpstreamTestContext<P>): Promise<VectorIoProvider[]> {
  return (await t.client.providers.list()).filter((p) => p.api === "vector_io");
}

/** Python's repr of a list of strings, as upstream's skip reasons print them. */
export function pyList(items: readonly string[]): string {
  return `[${items.map((s) => `'${s}'`).join(", ")}]`;
}

/** The wrapper's check, made when the test takes client_with_models: skip unless the stack lists the provider. */
export async function requireProvider<P>(t: UpstreamTestContext<P>, providerId: string): Promise<void> {
  const available = (await vectorIoProviders(t)).map((p) => p.provider_id);
  if (!available.includes(providerId)) t.skip(`Provider '${providerId}' not available. Available: ${pyList(available)}`);
}

const OPENAI_VECTOR_STORE_PROVIDERS = [
  "inline::chromadb",
  "inline::faiss",
  "inline::milvus",
  "inline::qdrant",
  "inline::sqlite-vec",
  "remote::chromadb",
  "remote::milvus",
  "remote::pgvector",
  "remote::qdrant",
  "remote::weaviate",
];

export async function requireOpenaiVectorStores<P>(t: UpstreamTestContext<P>): Promise<void> {
  const providers = await vectorIoProviders(t);
  if (!providers.some((p) => OPENAI_VECTOR_STORE_PROVIDERS.includes(p.provider_type))) {
    t.skip("OpenAI vector stores are not supported by any provider");
  }
}

const SEARCH_MODE_SUPPORT: Record<string, readonly string[]> = {
  vector: [
    "inline::faiss",
    "inline::sqlite-vec",
    "inline::milvus",
    "inline::chromadb",
    "inline::qdrant",
    "remote::chromadb",
    "remote::milvus",
    "remote::pgvector",
    "remote::qdrant",
    "remote::weaviate",
  ],
  keyword: ["inline::milvus", "inline::sqlite-vec", "remote::milvus", "remote::pgvector", "remote::weaviate"],
  hybrid: ["inline::milvus", "inline::sqlite-vec", "remote::milvus", "remote::pgvector", "remote::weaviate"],
};

export async function requireSearchMode<P>(t: UpstreamTestContext<P>, mode: string): Promise<void> {
  const supported = SEARCH_MODE_SUPPORT[mode] ?? [];
  const providers = await vectorIoProviders(t);
  if (!providers.some((p) => supported.includes(p.provider_type))) {
    t.skip(
      `Search mode '${mode}' is not supported by any available provider. Supported providers for '${mode}': ${pyList(supported)}`,
    );
  }
}

/** Both checks every test_openai_vector_stores.py test makes before its body. */
export async function requireProviderAndVectorStores<P>(t: UpstreamTestContext<P>, providerId: string): Promise<void> {
  await requireProvider(t, providerId);
  await requireOpenaiVectorStores(t);
}
