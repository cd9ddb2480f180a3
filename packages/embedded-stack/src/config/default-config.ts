/**
 * The `embedded` run config used when no --config is given: remote OpenAI-compatible inference
 * providers for each provider URL env that is set, the inline APIs, and a Llama Guard shield.
 */
import type { ModelInput, ProviderConfig, RunConfig, ShieldInput, ToolGroupInput } from "./types.js";

/** The model server's grammar-constrained guard: Llama Guard's verdict format, meaningless verdicts. */
export const DEFAULT_GUARD_MODEL = "llama-cpp/tiny-random-llama-guard";

/** Upstream's starter default tool groups that have a runtime here (`builtin::rag` has none). */
const DEFAULT_TOOL_GROUPS: ToolGroupInput[] = [{ toolgroup_id: "builtin::websearch", provider_id: "tavily-search" }];

export function defaultRunConfig(env: NodeJS.ProcessEnv): RunConfig {
  const inference: ProviderConfig[] = [];
  const models: ModelInput[] = [];
  if (env.LLAMA_CPP_URL) {
    inference.push({ provider_id: "llama-cpp", provider_type: "remote::llama-cpp", config: { base_url: env.LLAMA_CPP_URL } });
    models.push(
      { model_id: "tiny-random-llama", provider_id: "llama-cpp", model_type: "llm" },
      { model_id: "tiny-random-llama-guard", provider_id: "llama-cpp", model_type: "llm" },
      { model_id: "tiny-random-llama-embed", provider_id: "llama-cpp", model_type: "embedding", metadata: { embedding_dimension: 64 } },
      { model_id: "all-MiniLM-L6-v2", provider_id: "llama-cpp", model_type: "embedding", metadata: { embedding_dimension: 384 } },
    );
  }
  if (env.OLLAMA_URL) {
    inference.push({ provider_id: "ollama", provider_type: "remote::ollama", config: { base_url: env.OLLAMA_URL } });
  }
  if (env.VLLM_URL) {
    inference.push({
      provider_id: "vllm",
      provider_type: "remote::vllm",
      config: { base_url: env.VLLM_URL, max_tokens: Number(env.VLLM_MAX_TOKENS ?? 4096), api_token: env.VLLM_API_TOKEN ?? null },
    });
  }
  // A base URL alone enables it too: replaying recordings through a proxy needs no key.
  if (env.OPENAI_API_KEY || env.OPENAI_BASE_URL) {
    inference.push({
      provider_id: "openai",
      provider_type: "remote::openai",
      config: { api_key: env.OPENAI_API_KEY || null, base_url: env.OPENAI_BASE_URL || "https://api.openai.com/v1" },
    });
  }
  const guardModel = env.SAFETY_MODEL || (env.LLAMA_CPP_URL ? DEFAULT_GUARD_MODEL : "");
  const shields: ShieldInput[] = guardModel
    ? [{ shield_id: "llama-guard", provider_id: "llama-guard", provider_shield_id: guardModel }]
    : [];
  return {
    version: 2,
    image_name: "embedded",
    apis: ["agents", "batches", "conversations", "datasetio", "eval", "files", "inference", "prompts", "safety", "scoring", "tool_runtime", "vector_io"],
    providers: {
      inference,
      agents: [{ provider_id: "meta-reference", provider_type: "inline::meta-reference", config: {} }],
      safety: [{ provider_id: "llama-guard", provider_type: "inline::llama-guard", config: { excluded_categories: [] } }],
      files: [{ provider_id: "builtin-files", provider_type: "inline::localfs", config: {} }],
      // Both indexes upstream's CI runs the vector tests against, in its starter distribution's order.
      vector_io: [
        { provider_id: "faiss", provider_type: "inline::faiss", config: {} },
        { provider_id: "sqlite-vec", provider_type: "inline::sqlite-vec", config: {} },
      ],
      batches: [{ provider_id: "reference", provider_type: "inline::reference", config: {} }],
      eval: [{ provider_id: "meta-reference", provider_type: "inline::meta-reference", config: {} }],
      datasetio: [{ provider_id: "localfs", provider_type: "inline::localfs", config: {} }],
      scoring: [
        { provider_id: "basic", provider_type: "inline::basic", config: {} },
        { provider_id: "llm-as-judge", provider_type: "inline::llm-as-judge", config: {} },
      ],
      tool_runtime: [
        {
          provider_id: "tavily-search",
          provider_type: "remote::tavily-search",
          config: {
            api_key: env.TAVILY_SEARCH_API_KEY || null,
            max_results: 3,
            // A recording proxy's tool route: searches replay recorded tool calls.
            ...(env.LLAMA_STACK_TOOL_REPLAY_URL ? { replay_url: env.LLAMA_STACK_TOOL_REPLAY_URL } : {}),
          },
        },
        { provider_id: "model-context-protocol", provider_type: "remote::model-context-protocol", config: {} },
      ],
    },
    registered_resources: { models, shields, tool_groups: DEFAULT_TOOL_GROUPS },
    vector_stores: {
      default_provider_id: "faiss",
      ...(env.LLAMA_CPP_URL
        ? { default_embedding_model: { provider_id: "llama-cpp", model_id: "all-MiniLM-L6-v2" } }
        : {}),
    },
  };
}
