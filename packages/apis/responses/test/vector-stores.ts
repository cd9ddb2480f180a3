/**
 * Upstream's helpers.py for the file-search cases: a fresh vector store, a file uploaded under a name
 * no earlier run left behind, and the wait for its attachment. Calls go through the case's client.
 */
import type { UpstreamTestContext } from "@llama-stack-tests/stack";
import type LlamaStackClient from "llama-stack-client";
import OpenAI, { toFile } from "openai";
import { expect } from "vitest";

import type { ResponsesClient } from "./responses.js";

interface Named {
  id: string;
  name?: string | null;
  filename?: string;
  status?: string;
  last_error?: unknown;
}

/** The calls the helpers make; both SDKs' resources fit it, and both return the server's JSON. */
interface StoreSdk {
  vectorStores: {
    list(): AsyncIterable<Named>;
    create(body: Record<string, unknown>): Promise<Named>;
    delete(id: string): Promise<unknown>;
    files: {
      create(storeId: string, body: Record<string, unknown>): Promise<Named>;
      retrieve(...args: unknown[]): Promise<Named>;
    };
  };
  files: {
    list(): AsyncIterable<Named>;
    create(body: { file: unknown; purpose: string }): Promise<Named>;
    delete(id: string): Promise<unknown>;
  };
}

function storeSdk(client: ResponsesClient): StoreSdk {
  // The two SDKs' resources differ only in their generated parameter types.
  return client.sdk as OpenAI | LlamaStackClient as unknown as StoreSdk;
}

export function embeddingOf(t: UpstreamTestContext<unknown>): { embedding_model: string; embedding_dimension: number } {
  const model = t.models.embedding;
  if (!model) throw new Error("embedding_model_id is unset although the spec requires it.");
  return { embedding_model: model, embedding_dimension: t.models.embeddingDimension };
}

/** A new vector store named `name`, deleting any existing store of that name first. */
export async function newVectorStore(
  client: ResponsesClient,
  name: string,
  embedding: { embedding_model: string; embedding_dimension: number },
): Promise<Named> {
  const sdk = storeSdk(client);
  for await (const store of sdk.vectorStores.list()) {
    if (store.name === name) await sdk.vectorStores.delete(store.id);
  }
  // Upstream passes the embedding settings through extra_body: top-level keys on the wire.
  return sdk.vectorStores.create({ name, ...embedding });
}

/** Uploads `content` as `name` for assistants, deleting files of that name first. */
export async function uploadFile(client: ResponsesClient, name: string, content: Buffer | string): Promise<Named> {
  const sdk = storeSdk(client);
  for await (const file of sdk.files.list()) {
    if (file.filename === name) await sdk.files.delete(file.id);
  }
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return sdk.files.create({ file: await toFile(bytes, name), purpose: "assistants" });
}

/**
 * Attaches a file (with optional attributes) and waits, as upstream's wait_for_file_attachment does, by
 * retrieving the attachment until it is no longer in progress; it must then have completed without error.
 */
export async function attachFile(client: ResponsesClient, storeId: string, fileId: string, attributes?: Record<string, unknown>): Promise<void> {
  const sdk = storeSdk(client);
  await sdk.vectorStores.files.create(storeId, { file_id: fileId, ...(attributes ? { attributes } : {}) });
  // The two SDKs order retrieve's arguments differently.
  const retrieve = () =>
    client.sdk instanceof OpenAI ? sdk.vectorStores.files.retrieve(fileId, { vector_store_id: storeId }) : sdk.vectorStores.files.retrieve(storeId, fileId);
  let attached = await retrieve();
  while (attached.status === "in_progress") {
    await new Promise((resolve) => setTimeout(resolve, 100));
    attached = await retrieve();
  }
  expect(attached.status, `file attached: ${JSON.stringify(attached)}`).toBe("completed");
  expect(attached.last_error ?? null).toBeNull();
}

/** Best-effort cleanup of a store and its files, as upstream's fixture does. */
export async function removeStore(client: ResponsesClient, storeId: string, fileIds: readonly string[]): Promise<void> {
  const sdk = storeSdk(client);
  try {
    await sdk.vectorStores.delete(storeId);
    for (const id of fileIds) await sdk.files.delete(id).catch(() => undefined);
  } catch {
    // Upstream ignores cleanup failures too.
  }
}
