import type { StackContext } from "../../server/types.js";
import { filesStoreOf } from "../files/context.js";
import { type VectorIoProvider, VectorIoService } from "./service.js";

const services = new WeakMap<StackContext, VectorIoService>();

/**
 * The one vector stores service of a stack: its routes and the Responses API's file_search both
 * search through it (embedding through the inference router).
 */
export function vectorIoServiceOf(ctx: StackContext): VectorIoService {
  let service = services.get(ctx);
  if (!service) {
    const settings = vectorStoresSettings(ctx);
    service = new VectorIoService({
      db: ctx.db,
      files: filesStoreOf(ctx),
      embed: (model, input) => embed(ctx, model, input),
      lookupModel: async (id) => {
        const model = await ctx.models.find(id);
        return model && { identifier: model.identifier, model_type: model.model_type, metadata: model.metadata };
      },
      providers: vectorIoProviders(ctx),
      defaultProviderId: settings.defaultProviderId,
      defaultEmbeddingModel: settings.defaultEmbeddingModel,
      mintId: ctx.mintId,
    });
    services.set(ctx, service);
  }
  return service;
}

/** One vector per input, in input order, from the stack's OpenAI-compatible embeddings route. */
async function embed(ctx: StackContext, model: string, input: string[]): Promise<number[][]> {
  // encoding_format is the default of upstream's embeddings request model, so providers see it.
  const response = await ctx.inference.embeddings({ model, input, encoding_format: "float" });
  const data = (response.data ?? []) as { index?: number; embedding?: unknown }[];
  const vectors = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => d.embedding);
  if (vectors.length !== input.length || !vectors.every((v) => Array.isArray(v))) {
    throw new Error(`embedding model '${model}' returned ${vectors.length} float vectors for ${input.length} inputs`);
  }
  return vectors as number[][];
}

function vectorIoProviders(ctx: StackContext): VectorIoProvider[] {
  return (ctx.config.providers.vector_io ?? []).map((p) => ({
    provider_id: p.provider_id,
    provider_type: p.provider_type === "inline::faiss" ? "inline::faiss" : "inline::sqlite-vec",
  }));
}

/** The run config's optional `vector_stores` section (default provider and embedding model). */
function vectorStoresSettings(ctx: StackContext): { defaultProviderId?: string; defaultEmbeddingModel?: string } {
  const section = ctx.config.vector_stores ?? {};
  const model = section.default_embedding_model;
  return {
    defaultProviderId: section.default_provider_id,
    defaultEmbeddingModel: model && `${model.provider_id}/${model.model_id}`,
  };
}
