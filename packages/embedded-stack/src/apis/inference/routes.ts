/** OpenAI-compatible inference routes: chat completions (+ stored list/get), completions, embeddings. */
import { sendSse } from "../../server/sse.js";
import { route } from "../../server/route.js";
import type { JsonObject, RouteModule } from "../../server/types.js";
import { parseBody, parseQuery } from "../../server/validation.js";
import type { StackInferenceRouter } from "./router.js";
import { chatCompletionRequest, completionRequest, embeddingsRequest, listChatCompletionsQuery, rerankRequest } from "./schemas.js";
import type { InferenceStore } from "./store.js";

export function inferenceRoutes(store: InferenceStore, router: StackInferenceRouter): RouteModule {
  return (app, ctx) => {
    route(app, "POST", "/v1/chat/completions", async (req, reply) => {
      const body = parseBody(chatCompletionRequest, req.body) as JsonObject;
      if (body.stream) return sendSse(reply, () => ctx.inference.chatCompletion(body) as Promise<AsyncIterable<JsonObject>>);
      return ctx.inference.chatCompletion(body);
    });
    route(app, "GET", "/v1/chat/completions", (req) => store.list(parseQuery(listChatCompletionsQuery, req.query)));
    route(app, "GET", "/v1/chat/completions/{completion_id}", (_req, _reply, params) => store.get(params.completion_id ?? ""));
    route(app, "POST", "/v1/completions", async (req, reply) => {
      const body = parseBody(completionRequest, req.body) as JsonObject;
      if (body.stream) return sendSse(reply, () => ctx.inference.completion(body) as Promise<AsyncIterable<JsonObject>>);
      return ctx.inference.completion(body);
    });
    route(app, "POST", "/v1/embeddings", async (req) => ctx.inference.embeddings(parseBody(embeddingsRequest, req.body) as JsonObject));
    route(app, "POST", "/v1alpha/inference/rerank", async (req) => router.rerank(parseBody(rerankRequest, req.body) as JsonObject));
  };
}
