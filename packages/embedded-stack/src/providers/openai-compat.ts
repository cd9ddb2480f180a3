/**
 * A remote OpenAI-compatible inference provider (llama.cpp server, Ollama's /v1, vLLM, OpenAI).
 * Sends the request body it is given to `<base_url>/<endpoint>`, with the current test id in
 * TEST_ID_HEADER so the recording proxy can scope its hash; provider errors keep their status.
 */
import { Agent, type Dispatcher } from "undici";
import { currentRequestContext } from "../context/request-context.js";
import { ProviderHttpError } from "../server/errors.js";
import type { StackTelemetry } from "../telemetry/index.js";
import type { HttpExchange } from "../telemetry/types.js";
import type { JsonObject } from "../server/types.js";
import { stringifyProviderBody } from "./py-float.js";
import { readSseJson } from "./sse-reader.js";
import { TEST_ID_HEADER } from "@llama-stack-tests/recording";

export interface RemoteProviderOptions {
  providerId: string;
  providerType: string;
  baseUrl: string;
  apiKey: string | null;
  /** Key in X-LlamaStack-Provider-Data that overrides apiKey per request (upstream's provider_data_api_key_field). */
  providerDataKeyField?: string;
  /** Seconds the provider may take to start answering, and to send each next part of its answer. */
  timeoutSeconds?: number;
}

/** Provider calls give up after this long without a byte (upstream's nvidia and watsonx configs call it `timeout`). */
export const DEFAULT_PROVIDER_TIMEOUT_SECONDS = 300;

export class ProviderUnavailableError extends Error {
  readonly statusCode = 502;
  constructor(providerId: string, url: string, cause: unknown) {
    super(`Provider '${providerId}' is unreachable at ${url}: ${(cause as Error).message ?? String(cause)}. Check its base URL in the run config.`);
    this.name = "ProviderUnavailableError";
  }
}

/**
 * A provider that stopped answering: the real server's answer to a timeout, 504 "Operation timed out",
 * naming the provider and the run-config setting that bounds it.
 */
export class ProviderTimeoutError extends Error {
  readonly statusCode = 504;
  constructor(providerId: string, url: string, seconds: number) {
    super(`Operation timed out: provider '${providerId}' sent nothing for ${seconds} s at ${url}; raise its \`timeout\` in the run config if it is just slow`);
    this.name = "ProviderTimeoutError";
  }
}

/** A call the stack ended because it is closing: nobody waits for its answer any more. */
export class ProviderCallEndedError extends Error {
  readonly statusCode = 503;
  constructor(providerId: string, url: string) {
    super(`The stack is shutting down: its call to provider '${providerId}' at ${url} was ended`);
    this.name = "ProviderCallEndedError";
  }
}

/** A provider's whole answer; `text()` throws what broke the body, if something did. */
interface BufferedAnswer extends HttpExchange {
  text(): string;
}

/** As undici's body.text(): UTF-8, a byte-order mark dropped. */
const utf8 = new TextDecoder();

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
const DESTROYED_CODE = "UND_ERR_DESTROYED";

/** Failures before any response byte; the OpenAI SDK upstream uses retries these, so the stack does once. */
const RETRYABLE_CODES = new Set(["ECONNRESET", "UND_ERR_SOCKET", "EPIPE"]);

export class RemoteInferenceProvider {
  /** Keep-alive pool per provider; undici's request() is much cheaper per call than fetch(). */
  private readonly agent: Agent;
  private readonly timeoutSeconds: number;
  /** The base URL split once: every call goes straight to the agent with an origin and a path. */
  private readonly origin: string;
  private readonly basePath: string;

  constructor(
    readonly options: RemoteProviderOptions,
    private readonly telemetry: StackTelemetry,
  ) {
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new Error(`Provider '${options.providerId}': base_url '${options.baseUrl}' is not a URL; set it to http(s)://host:port/v1 in the run config`);
    }
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, "");
    this.timeoutSeconds = options.timeoutSeconds ?? DEFAULT_PROVIDER_TIMEOUT_SECONDS;
    const timeout = this.timeoutSeconds * 1000;
    this.agent = new Agent({ keepAliveTimeout: 4_000, connections: 128, headersTimeout: timeout, bodyTimeout: timeout });
  }

  /** A timeout while the answer arrives is the provider's timeout; anything else passes unchanged. */
  private timedOut(err: unknown, url: string): unknown {
    return TIMEOUT_CODES.has((err as { code?: string }).code ?? "") ? new ProviderTimeoutError(this.id, url, this.timeoutSeconds) : err;
  }

  /**
   * Ends the calls in flight and the keep-alive pool. Waiting for them instead (undici's close) held
   * a closing stack for as long as a slow provider took, up to its timeout.
   */
  async close(): Promise<void> {
    await this.agent.destroy();
  }

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

  /**
   * One provider call with its retry: the request is sent by `exchange` (a buffered or a streamed
   * answer); failures before any response byte become a timeout or an unreachable provider.
   */
  private async send<T extends HttpExchange>(method: "GET" | "POST", endpoint: string, body: JsonObject | undefined, exchange: (options: Dispatcher.RequestOptions) => Promise<T>): Promise<T> {
    const url = this.url(endpoint);
    const payload = body === undefined ? undefined : stringifyProviderBody(body);
    const headers = this.headers();
    for (let attempt = 0; ; attempt++) {
      try {
        // One HTTP client span per attempt, as httpx's instrumentation has under the OpenAI SDK's retries.
        const attemptHeaders = { ...headers };
        return await this.telemetry.httpClient(method, url, attemptHeaders, () =>
          exchange({ origin: this.origin, path: `${this.basePath}/${endpoint}`, method, headers: attemptHeaders, body: payload }),
        );
      } catch (err) {
        const code = (err as { code?: string }).code ?? "";
        if (attempt === 0 && RETRYABLE_CODES.has(code)) continue;
        if (TIMEOUT_CODES.has(code)) throw this.timedOut(err, url);
        if (code === DESTROYED_CODE) throw new ProviderCallEndedError(this.id, url);
        throw new ProviderUnavailableError(this.id, url, err);
      }
    }
  }

  /**
   * The whole answer in memory, through the agent's dispatch API: a non-streamed call needs no stream
   * of its body (undici's request() builds one per call, which costs more than the rest of the call).
   */
  private buffered(options: Dispatcher.DispatchOptions): Promise<BufferedAnswer> {
    return new Promise((resolve, reject) => {
      let statusCode = 0;
      const chunks: Buffer[] = [];
      const answer = (error: Error | null): BufferedAnswer => ({
        statusCode,
        text: () => {
          if (error) throw error;
          return utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
        },
      });
      try {
        this.agent.dispatch(options, {
          // Marks the handler as one of undici's current API (it would call the legacy methods otherwise).
          onRequestStart: () => undefined,
          onResponseStart: (_controller, status) => {
            statusCode = status;
          },
          onResponseData: (_controller, chunk) => {
            chunks.push(chunk);
          },
          onResponseEnd: () => resolve(answer(null)),
          // Before the status line it is the call's failure; after it, reading the body fails (as a
          // streamed body's read would).
          onResponseError: (_controller, err) => (statusCode === 0 ? reject(err) : resolve(answer(err))),
        });
      } catch (err) {
        reject(err);
      }
    });
  }

  /** Same wording as the OpenAI SDK's APIStatusError, which upstream passes through. */
  private static statusError(statusCode: number, text: string): ProviderHttpError {
    return new ProviderHttpError(statusCode, `Error code: ${statusCode} - ${text}`);
  }

  /** The parsed JSON of a buffered answer; a provider error status is a ProviderHttpError. */
  private async json(method: "GET" | "POST", endpoint: string, body?: JsonObject): Promise<unknown> {
    const res = await this.send(method, endpoint, body, (options) => this.buffered(options));
    if (res.statusCode >= 400) throw RemoteInferenceProvider.statusError(res.statusCode, res.text());
    try {
      return JSON.parse(res.text());
    } catch (err) {
      throw this.timedOut(err, this.url(endpoint));
    }
  }

  /** JSON object, or the parsed chunks when `body.stream` is true. */
  async post(endpoint: string, body: JsonObject): Promise<JsonObject | AsyncIterable<JsonObject>> {
    if (body.stream !== true) return (await this.json("POST", endpoint, body)) as JsonObject;
    const res = await this.send("POST", endpoint, body, (options) => this.agent.request(options));
    if (res.statusCode >= 400) throw RemoteInferenceProvider.statusError(res.statusCode, await res.body.text());
    return this.mapTimeouts(readSseJson(res.body), this.url(endpoint));
  }

  private async *mapTimeouts(chunks: AsyncIterable<JsonObject>, url: string): AsyncIterable<JsonObject> {
    try {
      yield* chunks;
    } catch (err) {
      throw this.timedOut(err, url);
    }
  }

  async listModelIds(): Promise<string[]> {
    const json = (await this.json("GET", "models")) as { data?: { id?: unknown }[] };
    return (json.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === "string");
  }
}
