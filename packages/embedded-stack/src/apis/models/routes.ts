/** Models API: OpenAI-format list, get by `provider_id/model` id, deprecated register/unregister. */
import { z } from "zod";
import { route } from "../../server/route.js";
import type { RegisteredModel, RouteModule } from "../../server/types.js";
import { parseBody } from "../../server/validation.js";
import type { SqliteModelRegistry } from "./registry.js";

const registerModelRequest = z.object({
  model_id: z.string(),
  provider_model_id: z.string().nullish(),
  provider_id: z.string().nullish(),
  metadata: z.record(z.unknown()).nullish(),
  model_type: z.enum(["llm", "embedding", "rerank"]).nullish(),
});

/** Upstream's Model as its server serializes ModelWithOwner. */
export function modelObject(m: RegisteredModel): Record<string, unknown> {
  return {
    identifier: m.identifier,
    provider_resource_id: m.provider_resource_id,
    provider_id: m.provider_id,
    type: "model",
    owner: null,
    source: m.source,
    metadata: m.metadata,
    model_type: m.model_type,
  };
}

export function modelsRoutes(registry: SqliteModelRegistry): RouteModule {
  return (app) => {
    route(app, "GET", "/v1/models", async () => {
      const created = Math.floor(Date.now() / 1000);
      const models = await registry.list();
      return {
        data: models.map((m) => ({
          id: m.identifier,
          object: "model",
          created,
          owned_by: "llama_stack",
          custom_metadata: {
            model_type: m.model_type,
            provider_id: m.provider_id,
            provider_resource_id: m.provider_resource_id,
            ...m.metadata,
          },
        })),
      };
    });
    route(app, "GET", "/v1/models/{model_id:path}", async (_req, _reply, params) => modelObject(await registry.get(params.model_id ?? "")));
    route(app, "POST", "/v1/models", async (req) => modelObject(await registry.register(parseBody(registerModelRequest, req.body))), { deprecated: true });
    route(app, "DELETE", "/v1/models/{model_id:path}", async (_req, _reply, params) => {
      await registry.unregister(params.model_id ?? "");
    }, { deprecated: true });
  };
}
