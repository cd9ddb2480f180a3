/** Builds the remote inference providers of the run config (every `remote::*` type is OpenAI-compatible). */
import type { ProviderConfig } from "../config/types.js";
import type { ProviderQuirks } from "../apis/inference/provider-body.js";
import type { StackTelemetry } from "../telemetry/index.js";
import { RemoteInferenceProvider } from "./openai-compat.js";

export interface InferenceProviderEntry {
  client: RemoteInferenceProvider;
  config: ProviderConfig;
  quirks: ProviderQuirks;
  /** Static metadata of embedding models the provider lists as plain ids (upstream's embedding_model_metadata). */
  embeddingMetadata: Record<string, Record<string, number>>;
}

const EMBEDDING_METADATA: Record<string, Record<string, Record<string, number>>> = {
  "remote::ollama": {
    "all-minilm:l6-v2": { embedding_dimension: 384, context_length: 512 },
    "nomic-embed-text:latest": { embedding_dimension: 768, context_length: 8192 },
    "nomic-embed-text:v1.5": { embedding_dimension: 768, context_length: 8192 },
    "nomic-embed-text:137m-v1.5-fp16": { embedding_dimension: 768, context_length: 8192 },
  },
  "remote::openai": {
    "text-embedding-3-small": { embedding_dimension: 1536, context_length: 8192 },
    "text-embedding-3-large": { embedding_dimension: 3072, context_length: 8192 },
  },
};

const DEFAULT_BASE_URLS: Record<string, string> = {
  "remote::ollama": "http://localhost:11434/v1",
  "remote::openai": "https://api.openai.com/v1",
};

/** API keys sent when the config has none: upstream's adapters send a placeholder to keep the SDK happy. */
const PLACEHOLDER_KEYS: Record<string, string> = {
  "remote::ollama": "NO KEY REQUIRED",
  "remote::vllm": "NO KEY REQUIRED",
};

const PROVIDER_DATA_KEY_FIELDS: Record<string, string> = {
  "remote::openai": "openai_api_key",
  "remote::vllm": "vllm_api_token",
};

export class ProviderConfigError extends Error {
  constructor(providerId: string, problem: string) {
    super(`Inference provider '${providerId}': ${problem}`);
    this.name = "ProviderConfigError";
  }
}

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** The provider's base URL as its config (or its type's default) gives it, or null when it has none. */
export function providerBaseUrl(config: ProviderConfig): string | null {
  const c = config.config;
  return str(c.base_url) ?? str(c.url) ?? DEFAULT_BASE_URLS[config.provider_type] ?? null;
}

/** The provider's `timeout` in seconds, if set (env substitution leaves numbers as strings). */
function timeoutOf(config: ProviderConfig): number | undefined {
  const raw = config.config.timeout;
  if (raw === undefined || raw === null || raw === "") return undefined;
  const seconds = Number(raw);
  if (!(seconds > 0)) throw new ProviderConfigError(config.provider_id, `timeout must be a positive number of seconds, not ${JSON.stringify(raw)}`);
  return seconds;
}

export function buildInferenceProviders(configs: ProviderConfig[], telemetry: StackTelemetry): Map<string, InferenceProviderEntry> {
  const out = new Map<string, InferenceProviderEntry>();
  for (const config of configs) {
    const type = config.provider_type;
    if (!type.startsWith("remote::")) {
      throw new ProviderConfigError(config.provider_id, `provider type '${type}' is not supported; use a remote OpenAI-compatible type (remote::ollama, remote::vllm, remote::openai, remote::llama-cpp)`);
    }
    const c = config.config;
    const baseUrl = providerBaseUrl(config);
    if (!baseUrl) throw new ProviderConfigError(config.provider_id, "no base_url; set it in the run config or the provider's URL env");
    const apiKey = str(c.api_key) ?? str(c.api_token) ?? str(c.auth_credential) ?? PLACEHOLDER_KEYS[type] ?? null;
    const quirks: ProviderQuirks =
      type === "remote::vllm"
        ? { defaultMaxTokens: typeof c.max_tokens === "number" ? c.max_tokens : 4096, toolChoiceNoneWithoutTools: true, noStreamOptions: true }
        : type === "remote::ollama"
          ? { downloadImages: true, noStreamOptions: true }
          : type === "remote::llama-cpp"
            ? // The project's model server, which the real server reaches through its remote::vllm adapter.
              { noStreamOptions: true }
            : {};
    out.set(config.provider_id, {
      client: new RemoteInferenceProvider({
        providerId: config.provider_id,
        providerType: type,
        baseUrl,
        apiKey,
        providerDataKeyField: PROVIDER_DATA_KEY_FIELDS[type],
        timeoutSeconds: timeoutOf(config),
      }, telemetry),
      config,
      quirks,
      embeddingMetadata: EMBEDDING_METADATA[type] ?? {},
    });
  }
  return out;
}
