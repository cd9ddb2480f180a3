/** Calls and shape checks shared by the safety test files. */
import type LlamaStackClient from "llama-stack-client";
import { expect } from "vitest";

export type ShieldMessage = LlamaStackClient.SafetyRunShieldParams["messages"][number];
export type RunShieldResponse = LlamaStackClient.RunShieldResponse;
export type ModerationResponse = LlamaStackClient.CreateResponse;

/** POST /v1/safety/run-shield; `params` is required by the API though the SDK type omits it. */
export function runShield(
  client: LlamaStackClient,
  shieldId: string,
  messages: ShieldMessage[],
): Promise<RunShieldResponse> {
  const body = { shield_id: shieldId, messages, params: {} };
  return client.safety.runShield(body);
}

export function userMessage(content: string): ShieldMessage {
  return { role: "user", content };
}

export function userTextParts(text: string): ShieldMessage {
  return { role: "user", content: [{ type: "text", text }] };
}

const VIOLATION_LEVELS = ["info", "warn", "error"];

/** What every run-shield answer must look like, whatever the verdict. */
export function expectRunShieldShape(response: RunShieldResponse): void {
  expect(response).toBeTypeOf("object");
  const violation = response.violation;
  if (violation === null || violation === undefined) return;
  expect(VIOLATION_LEVELS).toContain(violation.violation_level);
  if (violation.user_message !== null && violation.user_message !== undefined) {
    expect(violation.user_message).toBeTypeOf("string");
  }
}

/** What every moderation answer must look like: one result per input, boolean categories, numeric scores. */
export function expectModerationShape(moderation: ModerationResponse, inputs: number): void {
  expect(moderation.id).toMatch(/^modr-/);
  expect(moderation.model).toBeTypeOf("string");
  expect(moderation.results).toHaveLength(inputs);
  for (const result of moderation.results) {
    expect(result.flagged).toBeTypeOf("boolean");
    const categories = Object.values(result.categories ?? {});
    expect(categories.length).toBeGreaterThan(0);
    for (const value of categories) expect(value).toBeTypeOf("boolean");
    const scores = Object.values(result.category_scores ?? {});
    expect(scores.length).toBe(categories.length);
    for (const score of scores) expect(score).toBeTypeOf("number");
  }
}

/** The model behind a registered shield, as upstream's moderation tests pass it. */
export async function shieldModel(client: LlamaStackClient, shieldId: string): Promise<string> {
  const shield = (await client.shields.list()).find((s) => s.identifier === shieldId);
  if (shield === undefined) throw new Error(`shield "${shieldId}" is not registered on the stack (GET /v1/shields)`);
  if (!shield.provider_resource_id) throw new Error(`shield "${shieldId}" has no provider_resource_id`);
  return shield.provider_resource_id;
}

/** Provider ids of the stack's inference providers (upstream's `model_providers` fixture). */
export async function inferenceProviderIds(client: LlamaStackClient): Promise<Set<string>> {
  const providers = await client.providers.list();
  return new Set(providers.filter((p) => p.api === "inference").map((p) => p.provider_id));
}

export function intersects(a: Iterable<string>, b: ReadonlySet<string>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}
