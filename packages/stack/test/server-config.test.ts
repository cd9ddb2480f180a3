import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { withDefaultEmbeddingModel } from "../src/lifecycle/server-config.js";

function tempRoot(config: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "server-config-"));
  fs.mkdirSync(path.join(root, "stacks"));
  fs.writeFileSync(path.join(root, "stacks", "run.yaml"), config);
  return root;
}

describe("withDefaultEmbeddingModel", () => {
  it("writes a copy naming the run's embedding model as the vector stores' default", () => {
    const root = tempRoot(
      "version: 2\nvector_stores:\n  default_provider_id: faiss\nserver:\n  port: ${env.PORT:=8321}\n" +
        "registered_resources:\n  models:\n  - model_id: tiny-random-llama-embed\n    model_type: embedding\n    metadata: {embedding_dimension: 64}\n",
    );
    const out = withDefaultEmbeddingModel("stacks/run.yaml", root, "llama-cpp/tiny-random-llama-embed");
    expect(out).not.toBe("stacks/run.yaml");
    const run = parse(fs.readFileSync(out, "utf8"));
    expect(run.vector_stores).toEqual({
      default_provider_id: "faiss",
      default_embedding_model: { provider_id: "llama-cpp", model_id: "tiny-random-llama-embed" },
    });
    expect(run.server.port).toBe("${env.PORT:=8321}");
  });

  it("keeps a config's own default, a distro name and a run without an embedding model", () => {
    const own = "vector_stores:\n  default_embedding_model: {provider_id: a, model_id: b}\n";
    expect(withDefaultEmbeddingModel("stacks/run.yaml", tempRoot(own), "x/y")).toBe("stacks/run.yaml");
    expect(withDefaultEmbeddingModel("starter", tempRoot(own), "x/y")).toBe("starter");
    expect(withDefaultEmbeddingModel("stacks/run.yaml", tempRoot("version: 2\n"), undefined)).toBe("stacks/run.yaml");
    // ollama/nomic-embed-text is discovered from the provider, not registered: no default.
    expect(withDefaultEmbeddingModel("stacks/run.yaml", tempRoot("version: 2\n"), "ollama/nomic-embed-text:v1.5")).toBe("stacks/run.yaml");
  });
});
