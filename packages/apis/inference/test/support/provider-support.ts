/** Provider types upstream's test_openai_completion.py skips, per feature (same lists, same order). */

export const NO_OPENAI_COMPLETION: readonly string[] = [
  "inline::meta-reference",
  "inline::sentence-transformers",
  "remote::vllm",
  "remote::bedrock",
  "remote::databricks",
  "remote::nvidia",
  "remote::runpod",
  "remote::sambanova",
  "remote::vertexai",
  "remote::groq",
  "remote::oci",
  "remote::gemini",
  "remote::anthropic",
  "remote::azure",
  "remote::llama-openai-compat",
];

export const NO_COMPLETION_LOGPROBS: readonly string[] = ["remote::ollama", "remote::watsonx"];

export const NO_N_PARAM: readonly string[] = [
  "remote::sambanova",
  "remote::ollama",
  "remote::groq",
  "remote::gemini",
  "remote::anthropic",
  "remote::vertexai",
  "remote::tgi",
  "remote::together",
  "remote::cerebras",
  "remote::databricks",
  "remote::watsonx",
];

export const NO_OPENAI_CHAT_COMPLETION: readonly string[] = [
  "inline::meta-reference",
  "inline::sentence-transformers",
  "remote::vllm",
  "remote::bedrock",
  "remote::databricks",
  "remote::cerebras",
  "remote::runpod",
];

export const NO_COMPLETION_STOP_SEQUENCE: readonly string[] = ["remote::watsonx"];

/** The only model upstream runs the fill-in-the-middle (suffix) test with. */
export const SUFFIX_MODEL = "qwen2.5-coder:1.5b";

/** Provider types upstream's test_openai_embeddings.py skips, per feature. */
export const NO_OPENAI_EMBEDDINGS: readonly string[] = [
  "inline::meta-reference",
  "remote::bedrock",
  "remote::cerebras",
  "remote::runpod",
  "remote::sambanova",
  "remote::tgi",
  "remote::oci",
];

export const NO_EMBEDDINGS_USER_PARAM: readonly string[] = ["remote::together", "remote::fireworks"];

export const NO_EMBEDDINGS_BASE64: readonly string[] = ["remote::databricks", "remote::fireworks", "remote::ollama"];

export const NO_VARIABLE_DIMENSIONS: readonly string[] = [
  "remote::together",
  "inline::sentence-transformers",
  "remote::databricks",
  "remote::watsonx",
];

/** NVIDIA models that ignore base64 and fixed dimensions. */
export const NVIDIA_FIXED_EMBEDDING_MODELS: readonly string[] = [
  "nvidia/nv-embedqa-e5-v5",
  "nvidia/nv-embedqa-mistral-7b-v2",
  "snowflake/arctic-embed-l",
];

/** Asymmetric embedding models need `input_type` in extra_body. */
export const ASYMMETRIC_EMBEDDING_MODELS: Readonly<Record<string, readonly string[]>> = {
  "remote::nvidia": [
    "nvidia/llama-3.2-nv-embedqa-1b-v2",
    "nvidia/nv-embedqa-e5-v5",
    "nvidia/nv-embedqa-mistral-7b-v2",
    "snowflake/arctic-embed-l",
  ],
};
