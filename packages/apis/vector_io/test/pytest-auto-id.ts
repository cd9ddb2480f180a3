/**
 * The id pytest gives the model fixtures of a test that reaches them only through
 * client_with_models (none in its own signature). Upstream's pytest_generate_tests then builds no
 * "txt=..." id, so pytest falls back to its automatic ids: each value (text, vision, embedding,
 * judge, rerank model) joined with "-", an unset one printed as "None". The harness's `models`
 * option covers fixtures in the signature only, so this part is computed here from the same
 * options the harness reads (LLAMA_STACK_TEST_* env, then the setup's defaults).
 */
import { getSetup, type SetupDefaults } from "@llama-stack-tests/setups";

const FIXTURES: readonly { env: string; key: keyof SetupDefaults }[] = [
  { env: "LLAMA_STACK_TEST_TEXT_MODEL", key: "text_model" },
  { env: "LLAMA_STACK_TEST_VISION_MODEL", key: "vision_model" },
  { env: "LLAMA_STACK_TEST_EMBEDDING_MODEL", key: "embedding_model" },
  { env: "LLAMA_STACK_TEST_JUDGE_MODEL", key: "judge_model" },
  { env: "LLAMA_STACK_TEST_RERANK_MODEL", key: "rerank_model" },
];

export function clientWithModelsAutoId(env: NodeJS.ProcessEnv = process.env): string {
  const defaults = getSetup(env["LLAMA_STACK_TEST_SETUP"] || "embedded").defaults;
  return FIXTURES.map(({ env: name, key }) => {
    const value = env[name] || defaults[key];
    return value === undefined || value === "" ? "None" : String(value);
  }).join("-");
}
