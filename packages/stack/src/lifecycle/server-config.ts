import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";
import { StackStartError } from "../errors.js";

interface RunConfig {
  vector_stores?: Record<string, unknown>;
  registered_resources?: { models?: { model_id?: string; model_type?: string; metadata?: { embedding_dimension?: unknown } }[] };
}

/**
 * Upstream's tests create vector stores without naming an embedding model: the distribution's run
 * config names the default (vector_stores.default_embedding_model). A run config shared by every
 * setup cannot name one, because a default the server does not serve stops it at start-up. So, for a
 * config file that names none, this writes a copy under <root>/.llama-stack-tests/configs with the
 * run's embedding model ("<provider_id>/<model_id>") as that default when the config registers that
 * model, and returns its path; any other config (a distro name, a config that sets its own default or
 * does not register the model, no embedding model) is returned as is.
 */
export function withDefaultEmbeddingModel(config: string, rootDir: string, embeddingModel: string | undefined): string {
  const file = path.resolve(rootDir, config);
  const slash = embeddingModel?.indexOf("/") ?? -1;
  if (!embeddingModel || slash <= 0 || !/\.ya?ml$/.test(config) || !fs.existsSync(file)) return config;
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new StackStartError(`Run config ${config} is not valid YAML (${(e as Error).message}); fix it or pass another --stack-config.`);
  }
  if (typeof doc !== "object" || doc === null) return config;
  const run = doc as RunConfig;
  if (run.vector_stores?.default_embedding_model) return config;
  const modelId = embeddingModel.slice(slash + 1);
  // Only a model the config registers itself: the server checks the default at start-up, and a model
  // it would only discover from a provider (or not at all) could stop it there.
  const registered = (run.registered_resources?.models ?? []).some(
    (m) => m.model_id === modelId && m.model_type === "embedding" && m.metadata?.embedding_dimension !== undefined,
  );
  if (!registered) return config;
  run.vector_stores = {
    ...run.vector_stores,
    default_embedding_model: { provider_id: embeddingModel.slice(0, slash), model_id: modelId },
  };
  const text = stringify(run);
  const digest = createHash("sha256").update(text).digest("hex").slice(0, 12);
  const out = path.join(rootDir, ".llama-stack-tests", "configs", `${path.basename(config).replace(/\.ya?ml$/, "")}-${digest}.yaml`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  return out;
}
