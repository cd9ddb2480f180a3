import { upstreamTest, type UpstreamTestContext } from "@llama-stack-tests/stack";
import { expect } from "vitest";

import {
  CANNED_REFUSAL,
  CODE_INTERPRETER_ABUSE_PROMPT,
  CODE_SCANNER_ENABLED_PROVIDERS,
  CODE_SCANNER_REFUSAL,
  INSECURE_CODE,
  SAFE_MODERATION_INPUTS,
  SAFE_PROMPTS,
  SECURE_CODE,
  UNSAFE_PROMPTS,
} from "./data/examples.js";
import {
  expectModerationShape,
  expectRunShieldShape,
  inferenceProviderIds,
  intersects,
  runShield,
  shieldModel,
  userMessage,
  userTextParts,
} from "./shield.js";

const file = "tests/integration/safety/test_safety.py";

function requireShield(t: UpstreamTestContext<undefined>): string {
  const shieldId = t.models.shield;
  if (shieldId === undefined) t.skip("shield_id empty - skipping test");
  return shieldId;
}

/** Upstream's code_scanner_shield_id fixture plus the provider gate every code-scanner test opens with. */
async function requireCodeScanner(t: UpstreamTestContext<undefined>): Promise<string> {
  const shields = (await t.client.shields.list()).map((s) => s.identifier);
  if (!shields.includes("code-scanner")) t.skip("code-scanner shield is not available. Skipping.");
  const providers = await inferenceProviderIds(t.client);
  if (!intersects(CODE_SCANNER_ENABLED_PROVIDERS, providers)) {
    t.skip(`Testing code scanner shields is not supported for model_providers ${[...providers].join(", ")}`);
  }
  return "code-scanner";
}

upstreamTest({ file, name: "test_unsafe_examples", models: ["shield_id"] }, async (t) => {
  const shieldId = requireShield(t);
  for (const example of UNSAFE_PROMPTS) {
    const response = await runShield(t.client, shieldId, [userMessage(example)]);
    expectRunShieldShape(response);
    if (t.can("safety_verdicts", `run-shield flags "${example}"`)) {
      expect(response.violation).toBeTruthy();
      expect(response.violation?.violation_level).toBe("error");
      expect(response.violation?.user_message).toBe(CANNED_REFUSAL);
    }
  }
});

upstreamTest({ file, name: "test_safe_examples_with_run_moderation", models: ["shield_id"] }, async (t) => {
  const shieldId = requireShield(t);
  const model = await shieldModel(t.client, shieldId);
  for (const example of SAFE_MODERATION_INPUTS) {
    const moderation = await t.client.moderations.create({ input: [example], model });
    expectModerationShape(moderation, 1);
    if (t.can("safety_verdicts", `moderation does not flag "${example}"`)) {
      const result = moderation.results[0];
      expect(result?.flagged).toBe(false);
      expect(Object.values(result?.categories ?? {}).every((v) => v === false)).toBe(true);
      expect(Object.values(result?.category_scores ?? {}).every((s) => s === 1.0)).toBe(true);
    }
  }
});

upstreamTest({ file, name: "test_unsafe_examples_with_run_moderation", models: ["shield_id"] }, async (t) => {
  const shieldId = requireShield(t);
  const model = await shieldModel(t.client, shieldId);
  for (const example of UNSAFE_PROMPTS) {
    const moderation = await t.client.moderations.create({ input: [example], model });
    expectModerationShape(moderation, 1);
    if (t.can("safety_verdicts", `moderation flags "${example}"`)) {
      const result = moderation.results[0];
      expect(result?.flagged).toBe(true);
      expect(Object.values(result?.categories ?? {}).some(Boolean)).toBe(true);
      expect(Object.values(result?.category_scores ?? {}).some(Boolean)).toBe(true);
    }
  }
});

upstreamTest({ file, name: "test_safe_examples", models: ["shield_id"] }, async (t) => {
  const shieldId = requireShield(t);
  for (const example of SAFE_PROMPTS) {
    const response = await runShield(t.client, shieldId, [userMessage(example)]);
    expectRunShieldShape(response);
    if (t.can("safety_verdicts", `run-shield lets "${example}" through`)) {
      expect(response.violation ?? null).toBeNull();
    }
  }
});

upstreamTest({ file, name: "test_safety_with_code_scanner" }, async (t) => {
  const shieldId = await requireCodeScanner(t);
  const response = await runShield(t.client, shieldId, [userTextParts(INSECURE_CODE)]);
  expectRunShieldShape(response);
  // The code scanner is static analysis, not a model: its verdict is deterministic.
  expect(response.violation).toBeTruthy();
  expect(response.violation?.violation_level).toBe("error");
  expect(response.violation?.user_message).toBe(CODE_SCANNER_REFUSAL);
});

upstreamTest({ file, name: "test_unsafe_input_with_code_scanner_run_moderation" }, async (t) => {
  const shieldId = await requireCodeScanner(t);
  const moderation = await t.client.moderations.create({ input: [INSECURE_CODE], model: shieldId });
  expectModerationShape(moderation, 1);
  const result = moderation.results[0];
  expect(result?.flagged, "code scanner should flag MD5 password hashing as insecure").toBe(true);
  expect(Object.values(result?.categories ?? {}).every((v) => v === true)).toBe(true);
});

upstreamTest({ file, name: "test_safe_input_with_code_scanner_run_moderation" }, async (t) => {
  const shieldId = await requireCodeScanner(t);
  const moderation = await t.client.moderations.create({ input: [SECURE_CODE], model: shieldId });
  expectModerationShape(moderation, 1);
  expect(moderation.results[0]?.flagged, "code scanner should not flag string slicing").toBe(false);
});

upstreamTest({ file, name: "test_safety_with_code_interpreter_abuse", models: ["shield_id"] }, async (t) => {
  const shieldId = requireShield(t);
  const response = await runShield(t.client, shieldId, [userTextParts(CODE_INTERPRETER_ABUSE_PROMPT)]);
  expectRunShieldShape(response);
  if (t.can("safety_verdicts", "run-shield flags a fork-bomb request as code interpreter abuse")) {
    expect(response.violation).toBeTruthy();
    expect(response.violation?.violation_level).toBe("error");
    expect(response.violation?.user_message).toBe(CANNED_REFUSAL);
  }
});

upstreamTest({ file, name: "test_safety_prompt_injection" }, (t) => {
  t.skip("upstream marks this test skip: Not yet implemented (its body is empty)");
});
