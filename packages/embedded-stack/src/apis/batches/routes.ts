import { type JsonObject, parseBody, parseQuery, route, type RouteModule, type StackContext } from "../../server/index.js";
import { filesStoreOf } from "../files/context.js";
import { createBatchBody, listBatchesQuery } from "./schemas.js";
import { BatchesService } from "./service.js";
import { BatchesStore } from "./store.js";

/** OpenAI Batches API; the worker runs each input line through the stack's own inference router. */
export const registerBatchesRoutes: RouteModule = (app, ctx) => {
  const batches = new BatchesService({
    store: new BatchesStore(ctx.db),
    mintId: ctx.mintId,
    deps: {
      files: filesStoreOf(ctx),
      modelExists: async (model) => (await ctx.models.find(model)) !== undefined,
      infer: (endpoint, body) => infer(ctx, endpoint, body),
    },
  });
  app.addHook("onClose", () => batches.close());

  route(app, "POST", "/v1/batches", (req) => batches.create(parseBody(createBatchBody, req.body)));
  route(app, "GET", "/v1/batches", (req) => {
    const { after, limit } = parseQuery(listBatchesQuery, req.query);
    return batches.list(after, limit);
  });
  route(app, "GET", "/v1/batches/{batch_id}", (_req, _reply, p) => {
    batches.nudge(p.batch_id as string);
    return batches.retrieve(p.batch_id as string);
  });
  route(app, "POST", "/v1/batches/{batch_id}/cancel", (_req, _reply, p) => batches.cancel(p.batch_id as string));
};

async function infer(ctx: StackContext, endpoint: string, body: Record<string, unknown>): Promise<unknown> {
  const result =
    endpoint === "/v1/chat/completions"
      ? await ctx.inference.chatCompletion(body)
      : endpoint === "/v1/completions"
        ? await ctx.inference.completion(body)
        : await ctx.inference.embeddings(body);
  if (isStream(result)) {
    throw new Error(`streaming responses are not supported in batches; remove "stream": true from the ${endpoint} body`);
  }
  return result;
}

function isStream(value: JsonObject | AsyncIterable<JsonObject>): value is AsyncIterable<JsonObject> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function";
}
