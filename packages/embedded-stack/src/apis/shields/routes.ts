/** Shields API: list, get (id may contain `/`), deprecated register/unregister. */
import { z } from "zod";
import { route } from "../../server/route.js";
import type { RouteModule } from "../../server/types.js";
import { parseBody } from "../../server/validation.js";
import type { ShieldRegistry } from "./registry.js";

const registerShieldRequest = z.object({
  shield_id: z.string(),
  provider_shield_id: z.string().nullish(),
  provider_id: z.string().nullish(),
  params: z.record(z.unknown()).nullish(),
});

export function shieldsRoutes(shields: ShieldRegistry): RouteModule {
  return (app) => {
    route(app, "GET", "/v1/shields", () => ({ data: shields.list() }));
    route(app, "GET", "/v1/shields/{identifier:path}", (_req, _reply, params) => shields.get(params.identifier ?? ""));
    route(app, "POST", "/v1/shields", (req) => shields.register(parseBody(registerShieldRequest, req.body)), { deprecated: true });
    route(app, "DELETE", "/v1/shields/{identifier:path}", (_req, _reply, params) => {
      shields.unregister(params.identifier ?? "");
    }, { deprecated: true });
  };
}
