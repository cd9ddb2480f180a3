import { RequestValidationError, parseBody, parseQuery, route, type RouteModule } from "../../server/index.js";
import { createPromptBody, getPromptQuery, setDefaultVersionBody, updatePromptBody } from "./schemas.js";
import { PromptsService, UndeclaredVariablesError } from "./service.js";

/** Stored prompt templates: create, list, get (by version), update, delete, versions, default version. */
export const registerPromptsRoutes: RouteModule = (app, ctx) => {
  const prompts = new PromptsService({ db: ctx.db, mintId: ctx.mintId });
  const id = (p: Record<string, string>) => p.prompt_id as string;

  route(app, "GET", "/v1/prompts", () => prompts.list());
  route(app, "POST", "/v1/prompts", (req) => {
    const body = parseBody(createPromptBody, req.body);
    return asValidation(() => prompts.create(body.prompt, body.variables));
  });
  route(app, "GET", "/v1/prompts/{prompt_id}", (req, _reply, p) =>
    prompts.get(id(p), parseQuery(getPromptQuery, req.query).version),
  );
  route(app, "POST", "/v1/prompts/{prompt_id}", (req, _reply, p) => {
    const body = parseBody(updatePromptBody, req.body);
    return asValidation(() => prompts.update(id(p), body.prompt, body.version, body.variables, body.set_as_default));
  });
  // Upstream's delete returns nothing, which its server (and route()) answers with 204.
  route(app, "DELETE", "/v1/prompts/{prompt_id}", (_req, _reply, p) => {
    prompts.delete(id(p));
  });
  route(app, "GET", "/v1/prompts/{prompt_id}/versions", (_req, _reply, p) => prompts.listVersions(id(p)));
  route(app, "POST", "/v1/prompts/{prompt_id}/set-default-version", (req, _reply, p) =>
    prompts.setDefaultVersion(id(p), parseBody(setDefaultVersionBody, req.body).version),
  );
};

/** Upstream's Prompt model rejects undeclared variables in a validator, which surfaces as a validation error. */
function asValidation<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof UndeclaredVariablesError) {
      throw new RequestValidationError([{ loc: [], msg: `Value error, ${err.message}`, type: "value_error" }]);
    }
    throw err;
  }
}
