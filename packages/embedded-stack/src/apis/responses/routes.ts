/** Responses API routes (served by the `agents` API, inline::meta-reference upstream). */
import type { ProviderConfig } from "../../config/types.js";
import { route } from "../../server/route.js";
import { sendSse } from "../../server/sse.js";
import type { RouteModule } from "../../server/types.js";
import { parseBody, parseQuery } from "../../server/validation.js";
import { ConversationsService } from "../conversations/service.js";
import { PromptsService } from "../prompts/service.js";
import type { ShieldRegistry } from "../shields/registry.js";
import type { ToolGroupRegistry } from "../tool_runtime/registry.js";
import { vectorIoServiceOf } from "../vector_io/context.js";
import { webSearchRuntime } from "./builtin-tools.js";
import { createResponseBody, listInputItemsQuery, listResponsesQuery } from "./schemas.js";
import { ResponsesService } from "./service.js";
import { ResponsesStore } from "./store.js";

export interface ResponsesRouteDeps {
  shields: ShieldRegistry;
  safetyProviders: ProviderConfig[];
  toolGroups: ToolGroupRegistry;
}

export function responsesRoutes(deps: ResponsesRouteDeps): RouteModule {
  return (app, ctx) => {
    const responses = new ResponsesService({
      store: new ResponsesStore(ctx.db),
      inference: ctx.inference,
      conversations: new ConversationsService({ db: ctx.db, mintId: ctx.mintId }),
      prompts: new PromptsService({ db: ctx.db, mintId: ctx.mintId }),
      guardrails: { shields: deps.shields, safetyProviders: deps.safetyProviders },
      builtin: { vectorStores: vectorIoServiceOf(ctx), webSearch: webSearchRuntime(deps.toolGroups) },
      mintId: ctx.mintId,
      telemetry: ctx.telemetry,
    });
    const id = (p: Record<string, string>) => p.response_id as string;

    route(app, "POST", "/v1/responses", async (req, reply) => {
      const body = parseBody(createResponseBody, req.body);
      if (body.stream) return sendSse(reply, () => responses.create(body));
      return responses.createAndWait(body);
    });
    route(app, "GET", "/v1/responses", (req) => responses.list(parseQuery(listResponsesQuery, req.query)));
    route(app, "GET", "/v1/responses/{response_id}", (_req, _reply, p) => responses.get(id(p)));
    route(app, "DELETE", "/v1/responses/{response_id}", (_req, _reply, p) => responses.delete(id(p)));
    route(app, "GET", "/v1/responses/{response_id}/input_items", (req, _reply, p) => {
      const query = parseQuery(listInputItemsQuery, req.query);
      const include = query.include === undefined ? undefined : [query.include].flat();
      return responses.listInputItems(id(p), { ...query, include });
    });
  };
}
