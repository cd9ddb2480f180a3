/** Safety API: run a registered shield over messages; OpenAI moderations through the shield of a model. */
import { z } from "zod";
import type { ProviderConfig } from "../../config/types.js";
import { InvalidValueError } from "../../server/errors.js";
import { route } from "../../server/route.js";
import type { RouteModule } from "../../server/types.js";
import { parseBody } from "../../server/validation.js";
import { runShieldAttributes, runShieldSpanName, SAFETY_SCOPE } from "../../telemetry/safety.js";
import { chatMessage } from "../inference/message-schema.js";
import { pyRepr } from "../vector_io/py-repr.js";
import type { Shield, ShieldRegistry } from "../shields/registry.js";
import { LlamaGuard, type GuardMessage } from "./llama-guard.js";

const runShieldRequest = z.object({
  shield_id: z.string(),
  messages: z.array(chatMessage),
  params: z.record(z.unknown()),
});

const moderationRequest = z.object({
  input: z.union([z.string(), z.array(z.string())]),
  model: z.string().nullish(),
});

export interface SafetyDeps {
  shields: ShieldRegistry;
  providers: ProviderConfig[];
  defaultShieldId?: string;
}

export function safetyRoutes(deps: SafetyDeps): RouteModule {
  return (app, ctx) => {
    const guardFor = (shield: Shield, model: string): LlamaGuard => {
      const provider = deps.providers.find((p) => p.provider_id === shield.provider_id);
      if (!provider) throw new InvalidValueError(`Provider ${shield.provider_id} not found in the routing table`);
      const excluded = Array.isArray(provider.config.excluded_categories) ? (provider.config.excluded_categories as string[]) : [];
      return new LlamaGuard(ctx.inference, model, excluded);
    };

    route(app, "POST", "/v1/safety/run-shield", async (req) => {
      const body = parseBody(runShieldRequest, req.body);
      // Upstream's safety router spans the shield lookup and the guard call; attributes once it answered.
      return ctx.telemetry.span(SAFETY_SCOPE, runShieldSpanName(body.shield_id), {}, async (span) => {
        const shield = deps.shields.get(body.shield_id);
        const verdict = await guardFor(shield, shield.provider_resource_id).runShield(body.messages as GuardMessage[]);
        span.setAttributes(runShieldAttributes(body.shield_id, body.messages, verdict.violation));
        return verdict;
      });
    });

    route(app, "POST", "/v1/moderations", async (req) => {
      const body = parseBody(moderationRequest, req.body);
      const shields = deps.shields.list();
      let shield: Shield | undefined;
      if (body.model) {
        const matches = shields.filter((s) => s.provider_resource_id === body.model);
        if (matches.length === 0) {
          throw new InvalidValueError(
            `No shield associated with provider_resource id ${body.model}: choose from ${pyRepr(shields.map((s) => s.provider_resource_id))}`,
          );
        }
        if (matches.length > 1) {
          throw new InvalidValueError(
            `Multiple shields associated with provider_resource id ${body.model}: matched shields ${pyRepr(matches.map((s) => s.identifier))}`,
          );
        }
        shield = matches[0];
      } else {
        const choices = pyRepr(shields.map((s) => s.provider_resource_id || s.identifier));
        if (!deps.defaultShieldId) {
          throw new InvalidValueError(
            `No moderation model specified and no default_shield_id configured in safety config: select model from ${choices}`,
          );
        }
        shield = shields.find((s) => s.identifier === deps.defaultShieldId);
        if (!shield) throw new InvalidValueError(`Default moderation model not found. Choose from ${choices}.`);
      }
      const selected = shield as Shield;
      const input = typeof body.input === "string" ? [body.input] : body.input;
      return guardFor(selected, selected.provider_resource_id).moderate(input);
    });
  };
}
