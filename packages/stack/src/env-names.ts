/** Every LLAMA_STACK_TEST_* variable that selects what a run does (the CLI exports them; turbo keys on them). */
export const OPTION_ENV = {
  stackConfig: "LLAMA_STACK_TEST_STACK_CONFIG",
  setup: "LLAMA_STACK_TEST_SETUP",
  inferenceMode: "LLAMA_STACK_TEST_INFERENCE_MODE",
  textModel: "LLAMA_STACK_TEST_TEXT_MODEL",
  visionModel: "LLAMA_STACK_TEST_VISION_MODEL",
  embeddingModel: "LLAMA_STACK_TEST_EMBEDDING_MODEL",
  rerankModel: "LLAMA_STACK_TEST_RERANK_MODEL",
  safetyShield: "LLAMA_STACK_TEST_SAFETY_SHIELD",
  judgeModel: "LLAMA_STACK_TEST_JUDGE_MODEL",
  embeddingDimension: "LLAMA_STACK_TEST_EMBEDDING_DIMENSION",
  recorder: "LLAMA_STACK_TEST_RECORDER",
  recordingsDir: "LLAMA_STACK_TEST_RECORDINGS_DIR",
  target: "LLAMA_STACK_TEST_TARGET",
  env: "LLAMA_STACK_TEST_ENV",
} as const;

export type OptionKey = keyof typeof OPTION_ENV;

/**
 * Upstream's names for the same options (tests/integration/fixtures/common.py, api_recorder.py),
 * read when ours are unset so upstream's scripts and habits work unchanged.
 */
export const UPSTREAM_OPTION_ENV: Readonly<Partial<Record<OptionKey, string>>> = {
  stackConfig: "LLAMA_STACK_CONFIG",
  recordingsDir: "LLAMA_STACK_TEST_RECORDING_DIR",
};

/** The option's value from env: our LLAMA_STACK_TEST_* name, else upstream's. */
export function optionFromEnv(env: NodeJS.ProcessEnv, key: OptionKey): string | undefined {
  const alias = UPSTREAM_OPTION_ENV[key];
  return env[OPTION_ENV[key]] || (alias ? env[alias] : undefined) || undefined;
}

/** Seconds the tests' clients wait for a response (upstream's fixture reads the same variable). */
export const CLIENT_TIMEOUT_ENV = "LLAMA_STACK_CLIENT_TIMEOUT";

/** Set to 1 to stop a server this harness started earlier on the port and start a fresh one. */
export const FORCE_RESTART_ENV = "LLAMA_STACK_TEST_FORCE_SERVER_RESTART";
