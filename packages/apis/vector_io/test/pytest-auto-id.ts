/**
 * The id pytest gives the model fixtures of a test that reaches them only through
 * client_with_models (none in its own signature). Upstream's pytest_generate_tests then builds no
 * "txt=..." id, so pytest falls back to its automatic ids: each value (text, vision, embedding,
 * judge, rerank model) joined with "-", an unset one printed as "None". The harness's `models`
 * option covers fixtures in the signature only, so this part is built here from the run's models.
 */
import type { ModelOptions } from "@llama-stack-tests/stack";

import { runOptions } from "./run-options.js";

export function clientWithModelsAutoId(models: ModelOptions = runOptions().models): string {
  // With comma lists pytest would multiply the cases; like the harness, use each option's first value.
  return [models.text, models.vision, models.embedding, models.judge, models.rerank].map((values) => values[0] ?? "None").join("-");
}
