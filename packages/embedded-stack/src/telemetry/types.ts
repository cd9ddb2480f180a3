/**
 * What the stack's code calls to emit telemetry. Nothing here imports OpenTelemetry: with telemetry
 * off the stack runs the no-op implementation and never loads the SDK.
 */
import type { FastifyInstance } from "fastify";
import type { JsonObject } from "../server/types.js";

export type AttributeValue = string | number | boolean | string[] | number[];
export type SpanAttributes = Record<string, AttributeValue>;

export interface SpanHandle {
  setAttributes(attributes: SpanAttributes): void;
}

/** Result of one HTTP exchange, as far as its client span needs it. */
export interface HttpExchange {
  statusCode: number;
}

export interface StackTelemetry {
  readonly enabled: boolean;
  /**
   * A SERVER span per request (Fastify hooks), child of an incoming W3C `traceparent`, active in the
   * route handler (see request-scope.ts).
   */
  instrumentServer(app: FastifyInstance): void;
  /** Whether a span is recording here (upstream asks providers for stream usage only then). */
  recording(): boolean;
  /**
   * An INTERNAL span around `fn`, child of the active span and active inside `fn`; `scope` names the
   * instrumentation scope (upstream's module that opens the same span).
   */
  span<T>(scope: string, name: string, attributes: SpanAttributes, fn: (span: SpanHandle) => Promise<T>): Promise<T>;
  /**
   * A GenAI `chat <model>` CLIENT span and the client metrics around one provider chat call, as
   * OpenTelemetry's openai-v2 instrumentation emits them; a streamed result is relayed and the span
   * ends with the stream. `body` is the provider request, `baseUrl` the provider's.
   */
  chat(
    baseUrl: string,
    body: JsonObject,
    call: () => Promise<JsonObject | AsyncIterable<JsonObject>>,
  ): Promise<JsonObject | AsyncIterable<JsonObject>>;
  /** The same for one provider embeddings call (`embeddings <model>`). */
  embeddings(baseUrl: string, body: JsonObject, call: () => Promise<JsonObject>): Promise<JsonObject>;
  /**
   * An HTTP CLIENT span around one outgoing request (as httpx's instrumentation); `headers` gets the
   * W3C `traceparent` of that span, so the callee can join the trace.
   */
  httpClient<T extends HttpExchange>(method: string, url: string, headers: Record<string, string>, send: () => Promise<T>): Promise<T>;
  /** `fetchImpl` with an HTTP CLIENT span per request (as httpClient), for clients that take a fetch (MCP). */
  instrumentFetch(fetchImpl: typeof fetch): typeof fetch;
  /** Exports what is pending and stops; bounded by the export timeout, whatever the collector does. */
  shutdown(): Promise<void>;
}
