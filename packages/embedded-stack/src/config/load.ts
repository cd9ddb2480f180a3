/** Run config from a YAML file (env-substituted, validated) or the embedded default. */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { configureUrlMirrors } from "../providers/url-mirror.js";
import { defaultRunConfig } from "./default-config.js";
import { replaceEnvVars } from "./env-substitution.js";
import type { ModelInput, ProviderConfig, RunConfig, ShieldInput, ToolGroupInput, VectorStoresConfig } from "./types.js";

export class RunConfigError extends Error {
  constructor(source: string, problem: string) {
    super(`Invalid run config ${source}: ${problem}`);
    this.name = "RunConfigError";
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function normalizeProviders(source: string, raw: unknown): Record<string, ProviderConfig[]> {
  const out: Record<string, ProviderConfig[]> = {};
  for (const [api, list] of Object.entries(asRecord(raw))) {
    if (!Array.isArray(list)) throw new RunConfigError(source, `providers.${api} must be a list`);
    out[api] = list
      .map((p) => asRecord(p))
      // A provider whose id resolved to empty (e.g. `${env.X:+id}` with X unset) is disabled.
      .filter((p) => typeof p.provider_id === "string" && p.provider_id !== "")
      .map((p, i) => {
        if (typeof p.provider_type !== "string") {
          throw new RunConfigError(source, `providers.${api}[${i}].provider_type must be a string`);
        }
        return { provider_id: p.provider_id as string, provider_type: p.provider_type, config: asRecord(p.config) };
      });
  }
  return out;
}

export function normalizeRunConfig(source: string, raw: unknown): RunConfig {
  const doc = asRecord(raw);
  const providers = normalizeProviders(source, doc.providers);
  const resources = asRecord(doc.registered_resources);
  const models = (Array.isArray(resources.models) ? resources.models : doc.models ?? []) as ModelInput[];
  const shields = (Array.isArray(resources.shields) ? resources.shields : doc.shields ?? []) as ShieldInput[];
  const toolGroups = (Array.isArray(resources.tool_groups) ? resources.tool_groups : doc.tool_groups ?? []) as ToolGroupInput[];
  const apis = Array.isArray(doc.apis) ? (doc.apis as string[]) : Object.keys(providers);
  return {
    version: (doc.version as number | string | undefined) ?? 2,
    image_name: String(doc.image_name ?? doc.distro_name ?? "custom"),
    apis,
    providers,
    registered_resources: {
      models: models.filter((m) => asRecord(m).model_id),
      shields: shields.filter((s) => asRecord(s).shield_id),
      tool_groups: toolGroups.filter((g) => asRecord(g).toolgroup_id && asRecord(g).provider_id),
    },
    safety: asRecord(doc.safety) as RunConfig["safety"],
    ...(doc.vector_stores === undefined || doc.vector_stores === null
      ? {}
      : { vector_stores: normalizeVectorStores(source, doc.vector_stores) }),
  };
}

function normalizeVectorStores(source: string, raw: unknown): VectorStoresConfig {
  const section = asRecord(raw);
  const out: VectorStoresConfig = {};
  if (section.default_provider_id !== undefined && section.default_provider_id !== null) {
    if (typeof section.default_provider_id !== "string") {
      throw new RunConfigError(source, "vector_stores.default_provider_id must be a string");
    }
    out.default_provider_id = section.default_provider_id;
  }
  const model = section.default_embedding_model;
  if (model !== undefined && model !== null) {
    const { provider_id: providerId, model_id: modelId } = asRecord(model);
    if (typeof providerId !== "string" || typeof modelId !== "string") {
      throw new RunConfigError(
        source,
        "vector_stores.default_embedding_model must have string provider_id and model_id (e.g. {provider_id: llama-cpp, model_id: tiny-random-llama-embed})",
      );
    }
    out.default_embedding_model = { provider_id: providerId, model_id: modelId };
  }
  return out;
}

/** The run config the stack starts with; also applies the stack's env-only settings, so bad ones fail startup. */
export function loadRunConfig(configPath: string | undefined, env: NodeJS.ProcessEnv): RunConfig {
  configureUrlMirrors(env);
  if (!configPath) return defaultRunConfig(env);
  let text: string;
  try {
    text = readFileSync(configPath, "utf8");
  } catch (err) {
    throw new RunConfigError(configPath, `cannot read it (${(err as Error).message}); pass an existing YAML file to --config`);
  }
  const parsed: unknown = parseYaml(text);
  return normalizeRunConfig(configPath, replaceEnvVars(parsed, env));
}
