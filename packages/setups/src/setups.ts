import type { Capability, Setup } from "./types.js";

/** Capabilities of a setup backed by real instruction-tuned models with a text model and tools. */
const CHAT: readonly Capability[] = ["tool_calling", "answer_quality", "structured_output"];

const OLLAMA_URL = "http://0.0.0.0:11434/v1";

/** Every setup of upstream's tests/integration/suites.py (same keys, env and defaults), plus `embedded`. */
export const SETUPS: Readonly<Record<string, Setup>> = {
  ollama: {
    name: "ollama",
    description: "Local Ollama provider with text + safety models",
    env: { OLLAMA_URL, SAFETY_MODEL: "ollama/llama-guard3:1b" },
    defaults: {
      text_model: "ollama/llama3.2:3b-instruct-fp16",
      embedding_model: "ollama/nomic-embed-text:v1.5",
      safety_model: "ollama/llama-guard3:1b",
      safety_shield: "llama-guard",
    },
    capabilities: [...CHAT, "safety_verdicts", "embeddings_semantics"],
  },
  "ollama-vision": {
    name: "ollama-vision",
    description: "Local Ollama provider with a vision model",
    env: { OLLAMA_URL },
    defaults: {
      vision_model: "ollama/llama3.2-vision:11b",
      embedding_model: "ollama/nomic-embed-text:v1.5",
    },
    capabilities: ["vision", "answer_quality", "structured_output", "embeddings_semantics"],
  },
  "ollama-postgres": {
    name: "ollama-postgres",
    description: "Server-mode tests with Postgres-backed persistence",
    env: {
      OLLAMA_URL,
      SAFETY_MODEL: "ollama/llama-guard3:1b",
      POSTGRES_HOST: "127.0.0.1",
      POSTGRES_PORT: "5432",
      POSTGRES_DB: "llamastack",
      POSTGRES_USER: "llamastack",
      POSTGRES_PASSWORD: "llamastack",
      LLAMA_STACK_LOGGING: "openai_responses=info",
    },
    defaults: {
      text_model: "ollama/llama3.2:3b-instruct-fp16",
      embedding_model: "sentence-transformers/nomic-embed-text-v1.5",
      safety_model: "ollama/llama-guard3:1b",
      safety_shield: "llama-guard",
    },
    capabilities: [...CHAT, "safety_verdicts", "embeddings_semantics"],
  },
  vllm: {
    name: "vllm",
    description: "vLLM provider with a text model",
    env: { VLLM_URL: "http://localhost:8000/v1" },
    defaults: {
      text_model: "vllm/Qwen/Qwen3-0.6B",
      embedding_model: "sentence-transformers/nomic-embed-text-v1.5",
    },
    capabilities: [...CHAT, "embeddings_semantics"],
  },
  gpt: {
    name: "gpt",
    description: "OpenAI GPT models for high-quality responses and tool calling",
    env: {},
    defaults: {
      text_model: "openai/gpt-4o",
      embedding_model: "openai/text-embedding-3-small",
      embedding_dimension: 1536,
    },
    capabilities: [...CHAT, "vision", "embeddings_semantics"],
  },
  tgi: {
    name: "tgi",
    description: "Text Generation Inference (TGI) provider with a text model",
    env: { TGI_URL: "http://localhost:8080" },
    defaults: { text_model: "tgi/Qwen/Qwen3-0.6B" },
    capabilities: CHAT,
  },
  together: {
    name: "together",
    description: "Together computer models",
    env: {},
    defaults: {
      text_model: "together/meta-llama/Llama-3.3-70B-Instruct-Turbo-Free",
      embedding_model: "together/togethercomputer/m2-bert-80M-32k-retrieval",
    },
    capabilities: [...CHAT, "embeddings_semantics"],
  },
  cerebras: {
    name: "cerebras",
    description: "Cerebras models",
    env: {},
    defaults: { text_model: "cerebras/llama-3.3-70b" },
    capabilities: CHAT,
  },
  databricks: {
    name: "databricks",
    description: "Databricks models",
    env: {},
    defaults: {
      text_model: "databricks/databricks-meta-llama-3-3-70b-instruct",
      embedding_model: "databricks/databricks-bge-large-en",
    },
    capabilities: [...CHAT, "embeddings_semantics"],
  },
  fireworks: {
    name: "fireworks",
    description: "Fireworks provider with a text model",
    env: {},
    defaults: {
      text_model: "fireworks/accounts/fireworks/models/llama-v3p1-8b-instruct",
      embedding_model: "fireworks/accounts/fireworks/models/qwen3-embedding-8b",
    },
    capabilities: [...CHAT, "embeddings_semantics"],
  },
  anthropic: {
    name: "anthropic",
    description: "Anthropic Claude models",
    env: {},
    defaults: { text_model: "anthropic/claude-3-5-haiku-20241022" },
    capabilities: CHAT,
  },
  "llama-api": {
    name: "llama-api",
    description: "Llama models from https://api.llama.com",
    env: {},
    defaults: { text_model: "llama_openai_compat/Llama-3.3-8B-Instruct" },
    capabilities: CHAT,
  },
  groq: {
    name: "groq",
    description: "Groq models",
    env: {},
    defaults: { text_model: "groq/llama-3.3-70b-versatile" },
    capabilities: CHAT,
  },
  embedded: {
    name: "embedded",
    description: "Offline: the embedded stack with a tiny random model and all-MiniLM-L6-v2 embeddings served by the model server (llama-cpp provider)",
    // SAFETY_MODEL registers the run config's llama-guard shield on a real server; the embedded stack
    // picks the same guard model by default.
    env: { LLAMA_CPP_URL: "http://127.0.0.1:8080/v1", SAFETY_MODEL: "llama-cpp/tiny-random-llama-guard" },
    defaults: {
      text_model: "llama-cpp/tiny-random-llama",
      embedding_model: "llama-cpp/all-MiniLM-L6-v2",
      embedding_dimension: 384,
      safety_model: "llama-cpp/tiny-random-llama-guard",
      safety_shield: "llama-guard",
    },
    // A tiny random model: only what the model server enforces by grammar holds. The embeddings are a
    // real sentence-embedding model's (the model server's all-MiniLM-L6-v2).
    capabilities: ["structured_output", "embeddings_semantics"],
  },
};

export const SETUP_NAMES: readonly string[] = Object.keys(SETUPS).sort();

/** Setups of this project, not of upstream's suites.py: CI crosses them with every suite over the own recordings. */
export const PROJECT_SETUPS: readonly string[] = ["embedded"];

export class UnknownSetupError extends Error {
  constructor(name: string) {
    super(`Unknown setup '${name}'. Available: ${SETUP_NAMES.join(", ")}`);
    this.name = "UnknownSetupError";
  }
}

export function getSetup(name: string): Setup {
  const setup = Object.hasOwn(SETUPS, name) ? SETUPS[name] : undefined;
  if (!setup) throw new UnknownSetupError(name);
  return setup;
}
