/**
 * A remote OpenAI-compatible inference provider (llama.cpp server, Ollama's /v1, vLLM, OpenAI).
 * Sends the request body it is given to `<base_url>/<endpoint>`, with the current test id in
 * TEST_ID_HEADER so the recording proxy can scope its hash; provider errors keep their status.
 */
import { currentRequestContext } from "../context/request-context.js";
import { ProviderHttpError } from "../server/errors.js";
import type { JsonObject } from "../server/types.js";
import { readSseJson } from "./sse-reader.js";
import { TEST_ID_HEADER } from "@llama-stack-tests/recording";

export interface RemoteProviderOptions {
  providerId: string;
  providerType: string;
  baseUrl: string;
  apiKey: string | null;
  /** Key in X-LlamaStack-Provider-Data that overrides apiKey per request (upstream's provider_data_api_key_field). */
  providerDataKeyField?: string;
}

export class ProviderUnavailableError extends Error {
  readonly statusCode = 502;
  constructor(providerId: string, url: string, cause: unknown) {
    super(`Provider '${providerId}' is unreachable at ${url}: ${(cause as Error).message ?? String(cause)}. Check its base URL in the run config.`);
    this.name = "ProviderUnavailableError";
  }
}

export class RemoteInferenceProvider {
  constructor(readonly options: RemoteProviderOptions) {}

  get id(): string {
    return this.options.providerId;
  }

  private url(endpoint: string): string {
    return `${this.options.baseUrl.replace(/\/+$/, "")}/${endpoint}`;
  }

  private headers(): Record<string, string> {
    const ctx = currentRequestContext();
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    let apiKey = this.options.apiKey;
    const field = this.options.providerDataKeyField;
    if (field && typeof ctx?.providerData[field] === "string") apiKey = ctx.providerData[field] as string;
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    if (ctx?.testId) headers[TEST_ID_HEADER] = ctx.testId;
    return headers;
  }

  private async send(method: "GET" | "POST", endpoint: string, body?: JsonObject): Promise<Response> {
    const url = this.url(endpoint);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: this.headers(),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new ProviderUnavailableError(this.id, url, (err as { cause?: unknown }).cause ?? err);
    }
    if (!res.ok) {
      const text = await res.text();
      // Same wording as the OpenAI SDK's APIStatusError, which upstream passes through.
      throw new ProviderHttpError(res.status, `Error code: ${res.status} - ${text}`);
    }
    return res;
  }

  /** JSON object, or the parsed chunks when `body.stream` is true. */
  async post(endpoint: string, body: JsonObject): Promise<JsonObject | AsyncIterable<JsonObject>> {
    const res = await this.send("POST", endpoint, body);
    if (body.stream === true) {
      if (!res.body) throw new ProviderHttpError(502, `Provider '${this.id}' sent an empty stream`);
      return readSseJson(res.body);
    }
    return (await res.json()) as JsonObject;
  }

  async listModelIds(): Promise<string[]> {
    const res = await this.send("GET", "models");
    const json = (await res.json()) as { data?: { id?: unknown }[] };
    return (json.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === "string");
  }
}
