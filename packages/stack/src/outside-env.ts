import type { RunOptions } from "./options.js";
import { parseServerTarget } from "./server-targets.js";

/**
 * The environment an outside test runner (an SDK's own integration tests) needs to use a stack this
 * harness started, under upstream's names: scripts/integration-tests.sh exports TEST_API_BASE_URL,
 * LLAMA_STACK_PORT, LLAMA_STACK_TEST_SUITE and _SETUP, and get_setup_env.py the setup's model
 * defaults as LLAMA_STACK_TEST_<KEY>. STACK_CONFIG_TYPE=server tells upstream's client tests to send
 * the test id in the provider-data header.
 */
export function outsideRunnerEnv(baseUrl: string, suite: string, options: RunOptions): Record<string, string> {
  const env: Record<string, string> = {
    TEST_API_BASE_URL: baseUrl,
    LLAMA_STACK_PORT: new URL(baseUrl).port,
    LLAMA_STACK_TEST_STACK_CONFIG_TYPE: "server",
    LLAMA_STACK_TEST_SUITE: suite,
    LLAMA_STACK_TEST_SETUP: options.setupName,
    LLAMA_STACK_TEST_INFERENCE_MODE: options.inferenceMode,
    // Our own suites take a running stack by URL: `pnpm suite` in the same shell reuses this one.
    LLAMA_STACK_TEST_STACK_CONFIG: baseUrl,
  };
  const models: [string, string[]][] = [
    ["LLAMA_STACK_TEST_TEXT_MODEL", options.models.text],
    ["LLAMA_STACK_TEST_VISION_MODEL", options.models.vision],
    ["LLAMA_STACK_TEST_EMBEDDING_MODEL", options.models.embedding],
    ["LLAMA_STACK_TEST_SAFETY_SHIELD", options.models.shield],
    ["LLAMA_STACK_TEST_JUDGE_MODEL", options.models.judge],
    ["LLAMA_STACK_TEST_RERANK_MODEL", options.models.rerank],
  ];
  for (const [name, values] of models) if (values.length) env[name] = values.join(",");
  env.LLAMA_STACK_TEST_EMBEDDING_DIMENSION = String(options.models.embeddingDimension);
  return env;
}

/** The header every request of a test carries (the target's name for it), so replay finds that test's recordings. */
export function providerDataHeaderExample(options: RunOptions): string {
  const header = parseServerTarget(options.target).providerDataHeader;
  return `${header}: {"__test_id": "tests/integration/<api>/test_<file>.py::test_<name>[<params>]"}`;
}

/** `export NAME='value'` lines a POSIX shell can eval. */
export function formatExports(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`)
    .join("\n");
}
