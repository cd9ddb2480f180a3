/**
 * Routes OpenAI-compatible inference calls to the provider serving the model (upstream's InferenceRouter):
 * registry lookup or `provider_id/model` fallback, model-type check, the provider body upstream sends,
 * the public model id written back on responses, and chat completions stored with their input messages.
 */
import type { InferenceProviderEntry } from "../../providers/inference-providers.js";
import { localizeImageUrls } from "../../providers/localize-images.js";
import { BadRequestError, HttpError, InvalidValueError } from "../../server/errors.js";
import type { InferenceRouter, JsonObject, ModelRegistry } from "../../server/types.js";
import { modelNotFound } from "../models/registry.js";
import { assembleStreamedCompletion } from "./stream-assembly.js";
import type { StackTelemetry } from "../../telemetry/index.js";
import { chatBody, completionBody, dropNulls, embeddingsBody, withTelemetryStreamOptions } from "./provider-body.js";
import { CHAT_FIELDS, COMPLETION_FIELDS, EMBEDDINGS_FIELDS } from "./schemas.js";
import type { InferenceStore } from "./store.js";

/**
 * Upstream raises a TypeError here, which 0.4.0 answers with a generic 500; naming the wrong model is a
 * client mistake, so it is a 400 with upstream's message.
 */
class ModelTypeError extends BadRequestError {
  constructor(model: string, actual: string, expected: string) {
    super(`Model '${model}' is of type '${actual}' rather than the expected type '${expected}'`);
    this.name = "ModelTypeError";
  }
}

class NotImplementedError extends HttpError {
  constructor(message: string) {
    super(501, `Not implemented: ${message}`);
    this.name = "NotImplementedError";
  }
}

interface Resolved {
  entry: InferenceProviderEntry;
  providerModel: string;
}

export class StackInferenceRouter implements InferenceRouter {
  constructor(
    private readonly providers: Map<string, InferenceProviderEntry>,
    private readonly models: ModelRegistry,
    private readonly store: InferenceStore,
    private readonly telemetry: StackTelemetry,
  ) {}

  private async resolve(modelId: string, expectedType: string): Promise<Resolved> {
    const model = await this.models.find(modelId);
    if (model) {
      if (model.model_type !== expectedType) throw new ModelTypeError(modelId, model.model_type, expectedType);
      const entry = this.providers.get(model.provider_id);
      if (!entry) throw new InvalidValueError(`Provider ${model.provider_id} not found in the routing table`);
      return { entry, providerModel: model.provider_resource_id };
    }
    const slash = modelId.indexOf("/");
    const entry = slash > 0 ? this.providers.get(modelId.slice(0, slash)) : undefined;
    if (!entry) throw modelNotFound(modelId);
    return { entry, providerModel: modelId.slice(slash + 1) };
  }

  async chatCompletion(body: JsonObject): Promise<JsonObject | AsyncIterable<JsonObject>> {
    const modelId = body.model as string;
    const { entry, providerModel } = await this.resolve(modelId, "llm");
    const request = { ...body };
    if (request.tool_choice !== null && request.tool_choice !== undefined && !request.tools) {
      throw new InvalidValueError("'tool_choice' is only allowed when 'tools' is also provided");
    }
    // Some providers call tools even with tool_choice "none"; upstream clears both.
    if (request.tool_choice === "none" && request.tools) {
      delete request.tool_choice;
      delete request.tools;
    }
    // Upstream localizes the request's own message objects, so the stored input has the inlined images too.
    if (entry.quirks.downloadImages) request.messages = await localizeImageUrls(request.messages as unknown[]);
    const inputMessages = (request.messages as unknown[]).map(dropNulls);
    const providerBody = chatBody(withTelemetryStreamOptions(request, entry.quirks, this.telemetry.recording()), CHAT_FIELDS, providerModel, entry.quirks);
    const result = await this.telemetry.chat(entry.client.options.baseUrl, providerBody, () => entry.client.post("chat/completions", providerBody));
    if (isStream(result)) return this.relayChatStream(result, modelId, inputMessages);
    const response = result;
    for (const choice of (response.choices as JsonObject[] | undefined) ?? []) {
      const message = choice.message as JsonObject | undefined;
      if (message && Array.isArray(message.tool_calls) && message.tool_calls.length === 0) message.tool_calls = null;
    }
    response.model = modelId;
    this.store.save(response, inputMessages);
    return response;
  }

  private async *relayChatStream(chunks: AsyncIterable<JsonObject>, modelId: string, inputMessages: unknown[]): AsyncGenerator<JsonObject> {
    const seen: JsonObject[] = [];
    try {
      for await (const chunk of chunks) {
        chunk.model = modelId;
        seen.push(chunk);
        yield chunk;
      }
    } finally {
      const assembled = assembleStreamedCompletion(seen, modelId);
      if (assembled && inputMessages.length > 0) this.store.save(assembled, inputMessages);
    }
  }

  async completion(body: JsonObject): Promise<JsonObject | AsyncIterable<JsonObject>> {
    const modelId = body.model as string;
    const { entry, providerModel } = await this.resolve(modelId, "llm");
    const providerBody = completionBody(withTelemetryStreamOptions(body, entry.quirks, this.telemetry.recording()), COMPLETION_FIELDS, providerModel);
    const result = await entry.client.post("completions", providerBody);
    if (isStream(result)) return result;
    result.model = modelId;
    return result;
  }

  /** No OpenAI-compatible provider reranks: upstream's base implementation raises NotImplementedError (501). */
  async rerank(body: JsonObject): Promise<JsonObject> {
    await this.resolve(body.model as string, "rerank");
    throw new NotImplementedError("Reranking is not implemented");
  }

  async embeddings(body: JsonObject): Promise<JsonObject> {
    const modelId = body.model as string;
    const { entry, providerModel } = await this.resolve(modelId, "embedding");
    const providerBody = embeddingsBody(body, EMBEDDINGS_FIELDS, providerModel);
    const result = await this.telemetry.embeddings(entry.client.options.baseUrl, providerBody, async () => {
      const response = await entry.client.post("embeddings", providerBody);
      if (isStream(response)) throw new InvalidValueError("embeddings cannot be streamed");
      return response;
    });
    const usage = (result.usage as JsonObject | undefined) ?? {};
    return {
      object: "list",
      data: ((result.data as JsonObject[] | undefined) ?? []).map((d, index) => ({
        object: "embedding",
        embedding: d.embedding,
        index,
      })),
      model: modelId,
      usage: { prompt_tokens: usage.prompt_tokens ?? 0, total_tokens: usage.total_tokens ?? 0 },
    };
  }
}

function isStream(value: JsonObject | AsyncIterable<JsonObject>): value is AsyncIterable<JsonObject> {
  return typeof (value as AsyncIterable<JsonObject>)[Symbol.asyncIterator] === "function";
}
