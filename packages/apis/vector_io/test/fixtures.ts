/**
 * Upstream's function-scoped fixtures for vector_io tests and small helpers shared by both files.
 */
import type { UpstreamTestContext } from "@llama-stack-tests/stack";

import type { CompatClient } from "./compat.js";

/** compat_client_with_empty_stores: deletes every vector store and file before and after the test. */
export async function withEmptyStores(compat: CompatClient, body: () => Promise<void>): Promise<void> {
  await clearStoresAndFiles(compat);
  try {
    await body();
  } finally {
    await clearStoresAndFiles(compat);
  }
}

async function clearStoresAndFiles(compat: CompatClient): Promise<void> {
  // Upstream ignores failures here (the API may be missing); it only warns.
  try {
    for (const store of (await compat.listStores()).data) await compat.deleteStore(store.id);
  } catch {
    console.warn("Failed to clear vector stores");
  }
  try {
    for (const file of (await compat.listFiles()).data) await compat.deleteFile(file.id);
  } catch {
    console.warn("Failed to clear files");
  }
}

/** client_with_empty_registry: deletes every vector store through llama-stack-client before and after. */
export async function withEmptyRegistry<P>(t: UpstreamTestContext<P>, body: () => Promise<void>): Promise<void> {
  const clear = async () => {
    for (const store of (await t.client.vectorStores.list()).data) await t.client.vectorStores.delete(store.id);
  };
  await clear();
  try {
    await body();
  } finally {
    await clear();
  }
}

/** The case's embedding model; the harness skips cases whose model fixture is unset, so absence is a spec bug. */
export function embeddingModelOf<P>(t: UpstreamTestContext<P>): string {
  const id = t.models.embedding;
  if (id === undefined) throw new Error(`no embedding model resolved for ${t.testId}; the spec must list embedding_model_id`);
  return id;
}
