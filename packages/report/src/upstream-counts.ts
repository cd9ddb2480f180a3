/**
 * Number of `def test_` functions (class methods included) per upstream test file,
 * in tests/integration at upstream commit 7da733091a, grouped by API directory.
 * This is the denominator of "upstream test functions covered / total".
 */
export const UPSTREAM_COMMIT = "7da733091a";

export const UPSTREAM_TEST_FUNCTIONS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  agents: { "tests/integration/agents/test_openai_responses.py": 10 },
  batches: {
    "tests/integration/batches/test_batches.py": 6,
    "tests/integration/batches/test_batches_errors.py": 15,
    "tests/integration/batches/test_batches_idempotency.py": 2,
  },
  conversations: { "tests/integration/conversations/test_openai_conversations.py": 9 },
  datasets: { "tests/integration/datasets/test_datasets.py": 1 },
  eval: { "tests/integration/eval/test_eval.py": 2 },
  files: { "tests/integration/files/test_files.py": 6 },
  inference: {
    "tests/integration/inference/test_openai_completion.py": 17,
    "tests/integration/inference/test_openai_embeddings.py": 10,
    "tests/integration/inference/test_openai_vision_inference.py": 2,
    "tests/integration/inference/test_provider_data_routing.py": 1,
    "tests/integration/inference/test_rerank.py": 5,
    "tests/integration/inference/test_tools_with_schemas.py": 10,
    "tests/integration/inference/test_vision_inference.py": 4,
  },
  inspect: { "tests/integration/inspect/test_inspect.py": 5 },
  persistence: { "tests/integration/test_persistence_integration.py": 2 },
  post_training: { "tests/integration/post_training/test_post_training.py": 2 },
  providers: {
    "tests/integration/providers/nvidia/test_datastore.py": 1,
    "tests/integration/providers/test_providers.py": 1,
    "tests/integration/providers/utils/sqlstore/test_authorized_sqlstore.py": 2,
  },
  responses: {
    "tests/integration/responses/test_basic_responses.py": 6,
    "tests/integration/responses/test_conversation_responses.py": 5,
    "tests/integration/responses/test_file_search.py": 7,
    "tests/integration/responses/test_mcp_authentication.py": 3,
    "tests/integration/responses/test_tool_responses.py": 15,
  },
  safety: {
    "tests/integration/safety/test_llama_guard.py": 6,
    "tests/integration/safety/test_safety.py": 9,
    "tests/integration/safety/test_vision_safety.py": 1,
  },
  scoring: { "tests/integration/scoring/test_scoring.py": 6 },
  telemetry: { "tests/integration/telemetry/test_completions.py": 2 },
  tool_runtime: {
    "tests/integration/tool_runtime/test_builtin_tools.py": 2,
    "tests/integration/tool_runtime/test_mcp.py": 1,
    "tests/integration/tool_runtime/test_mcp_json_schema.py": 6,
    "tests/integration/tool_runtime/test_registration.py": 1,
  },
  tools: { "tests/integration/tools/test_tools.py": 1 },
  vector_io: {
    "tests/integration/vector_io/test_openai_vector_stores.py": 29,
    "tests/integration/vector_io/test_vector_io.py": 8,
  },
};

/** Total upstream test functions for an API, or null if upstream has none for it. */
export function upstreamFunctionTotal(api: string): number | null {
  const files = UPSTREAM_TEST_FUNCTIONS[api];
  return files ? Object.values(files).reduce((a, b) => a + b, 0) : null;
}
