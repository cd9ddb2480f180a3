import { describe, expect, it } from "vitest";
import { defaultRunConfig } from "../src/config/default-config.js";
import { normalizeRunConfig, RunConfigError } from "../src/config/load.js";

describe("run config vector_stores section", () => {
  it("keeps vector_stores defaults from a YAML config", () => {
    const config = normalizeRunConfig("run.yaml", {
      providers: { vector_io: [{ provider_id: "faiss", provider_type: "inline::faiss" }] },
      vector_stores: {
        default_provider_id: "faiss",
        default_embedding_model: { provider_id: "sentence-transformers", model_id: "nomic-ai/nomic-embed-text-v1.5" },
      },
    });
    expect(config.vector_stores).toEqual({
      default_provider_id: "faiss",
      default_embedding_model: { provider_id: "sentence-transformers", model_id: "nomic-ai/nomic-embed-text-v1.5" },
    });
  });

  it("rejects a default embedding model without a model_id, naming the key", () => {
    expect(() =>
      normalizeRunConfig("run.yaml", { vector_stores: { default_embedding_model: { provider_id: "x" } } }),
    ).toThrow(RunConfigError);
    expect(() =>
      normalizeRunConfig("run.yaml", { vector_stores: { default_embedding_model: { provider_id: "x" } } }),
    ).toThrow(/vector_stores\.default_embedding_model/);
  });

  it("defaults the embedding model to llama-cpp's sentence-embedding model only when LLAMA_CPP_URL is set", () => {
    expect(defaultRunConfig({ LLAMA_CPP_URL: "http://127.0.0.1:1/v1" }).vector_stores?.default_embedding_model).toEqual({
      provider_id: "llama-cpp",
      model_id: "all-MiniLM-L6-v2",
    });
    expect(defaultRunConfig({}).vector_stores?.default_embedding_model).toBeUndefined();
  });

  it("lists faiss and sqlite-vec vector_io providers with faiss the default, as upstream's starter does", () => {
    const config = defaultRunConfig({});
    expect(config.providers.vector_io?.map((p) => p.provider_type)).toEqual(["inline::faiss", "inline::sqlite-vec"]);
    expect(config.vector_stores?.default_provider_id).toBe("faiss");
  });
});
