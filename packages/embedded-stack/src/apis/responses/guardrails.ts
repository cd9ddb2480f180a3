/**
 * Guardrails as upstream's Responses implementation runs them: each guardrail names a shield, the
 * text goes to that shield's model as an OpenAI moderation, and the first flagged result becomes the
 * refusal text ("<user message> (flagged for: ...) (violation type: ...)").
 */
import type { ProviderConfig } from "../../config/types.js";
import { InvalidValueError } from "../../server/errors.js";
import type { InferenceRouter, JsonObject } from "../../server/types.js";
import { LlamaGuard } from "../safety/llama-guard.js";
import type { ShieldRegistry } from "../shields/registry.js";

export interface GuardrailDeps {
  shields: ShieldRegistry;
  /** Safety providers of the run config; none means guardrails cannot run. */
  safetyProviders: ProviderConfig[];
  inference: InferenceRouter;
}

/** Checks text against shields; resolves to the refusal message, or null when nothing is flagged. */
export type GuardrailCheck = (text: string) => Promise<string | null>;

export class SafetyNotConfiguredError extends InvalidValueError {
  constructor() {
    super(
      "Cannot process guardrails: Safety API is not configured.\n\nTo use guardrails, ensure the Safety API is configured in your stack, or remove the 'guardrails' parameter from your request.",
    );
    this.name = "SafetyNotConfiguredError";
  }
}

function refusalMessage(result: JsonObject): string {
  let message = typeof result.user_message === "string" && result.user_message ? result.user_message : "Content blocked by safety guardrails";
  const flagged = Object.entries((result.categories as Record<string, boolean> | null) ?? {})
    .filter(([, on]) => on)
    .map(([name]) => name);
  const violationType = ((result.metadata as JsonObject | null)?.violation_type as string[] | undefined) ?? [];
  if (flagged.length) message += ` (flagged for: ${flagged.join(", ")})`;
  if (violationType.length) message += ` (violation type: ${violationType.join(", ")})`;
  return message;
}

export function guardrailCheck(deps: GuardrailDeps, guardrailIds: string[]): GuardrailCheck {
  if (deps.safetyProviders.length === 0) throw new SafetyNotConfiguredError();
  return async (text) => {
    if (!text) return null;
    const shields = deps.shields.list();
    const guards = guardrailIds.map((id) => {
      const shield = shields.find((s) => s.identifier === id);
      if (!shield) throw new InvalidValueError(`No shield found with identifier '${id}'`);
      const provider = deps.safetyProviders.find((p) => p.provider_id === shield.provider_id);
      if (!provider) throw new InvalidValueError(`Provider ${shield.provider_id} not found in the routing table`);
      const excluded = Array.isArray(provider.config.excluded_categories) ? (provider.config.excluded_categories as string[]) : [];
      return new LlamaGuard(deps.inference, shield.provider_resource_id, excluded);
    });
    const moderations = await Promise.all(guards.map((guard) => guard.moderate([text])));
    for (const moderation of moderations) {
      for (const result of (moderation.results as JsonObject[] | undefined) ?? []) {
        if (result.flagged) return refusalMessage(result);
      }
    }
    return null;
  };
}

/** upstream interleaved_content_as_str over the messages' contents: strings and text parts joined by spaces. */
export function messagesText(contents: unknown[]): string {
  const one = (c: unknown): string => {
    if (c === null || c === undefined) return "";
    if (typeof c === "string") return c;
    if (Array.isArray(c)) return c.map(one).join(" ");
    const part = c as JsonObject;
    if (part.type === "text") return String(part.text ?? "");
    if (part.type === "image_url") return "<image>";
    if (part.type === "file") return "<file>";
    throw new InvalidValueError(`Unsupported content type: ${String(part.type)}`);
  };
  return contents.map(one).join(" ");
}
