/** Providers API: every configured provider with its (secret-free) config and health. */
import type { ProviderConfig, RunConfig } from "../../config/types.js";
import { InvalidValueError } from "../../server/errors.js";
import { route } from "../../server/route.js";
import type { RouteModule } from "../../server/types.js";
import { NOT_IMPLEMENTED, providersHealth, type ProvidersHealth } from "./health.js";

/** Key fragments upstream's redact_sensitive_fields masks, plus credentials (upstream keeps those as SecretStr). */
const SECRET_KEY = /api_key|api_token|password|secret|credential/i;

function redact(value: unknown, key = ""): unknown {
  if (SECRET_KEY.test(key)) return "********";
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  }
  return value;
}

function providerInfo(api: string, p: ProviderConfig, health: ProvidersHealth): Record<string, unknown> {
  return {
    api,
    provider_id: p.provider_id,
    provider_type: p.provider_type,
    config: redact(p.config),
    health: health.get(api)?.get(p.provider_id) ?? NOT_IMPLEMENTED,
  };
}

/** Every provider with its health; like upstream, each call runs every provider's health check. */
export async function allProviders(config: RunConfig): Promise<Record<string, unknown>[]> {
  const health = await providersHealth(config);
  return Object.entries(config.providers).flatMap(([api, list]) => list.map((p) => providerInfo(api, p, health)));
}

export function providersRoutes(config: RunConfig): RouteModule {
  return (app) => {
    route(app, "GET", "/v1/providers", async () => ({ data: await allProviders(config) }));
    route(app, "GET", "/v1/providers/{provider_id}", async (_req, _reply, params) => {
      const found = (await allProviders(config)).find((p) => p.provider_id === params.provider_id);
      if (!found) throw new InvalidValueError(`Provider ${params.provider_id ?? ""} not found`);
      return found;
    });
  };
}
