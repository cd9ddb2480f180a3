/**
 * StackTelemetry over the OpenTelemetry SDK. Spans follow what the real server emits under
 * `opentelemetry-instrument` (fastapi, httpx and openai-v2 instrumentations, Llama Stack's own manual
 * spans): same names, kinds, attributes and parent links. The active span lives in this stack's own
 * AsyncLocalStorage rather than a global context manager.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Histogram,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import { hrTime, W3CTraceContextPropagator } from "@opentelemetry/core";
import type { FastifyInstance } from "fastify";
import type { StackRouteConfig } from "../server/route.js";
import type { JsonObject } from "../server/types.js";
import type { TelemetryConfig } from "./config.js";
import {
  metricAttributes,
  openAiErrorType,
  requestAttributes,
  responseAttributes,
  spanName,
  StreamObservation,
  tokenCounts,
  type GenAiOperation,
} from "./genai.js";
import { setRequestRunner } from "./request-scope.js";
import { startSdk } from "./sdk.js";
import { serverSpanAttributes, serverSpanName } from "./server-attributes.js";
import type { HttpExchange, SpanAttributes, SpanHandle, StackTelemetry } from "./types.js";

/** Instrumentation scopes named as on the real server, so both stacks' spans group alike. */
const SCOPES = {
  server: "opentelemetry.instrumentation.fastapi",
  http: "opentelemetry.instrumentation.httpx",
  genai: "opentelemetry.instrumentation.openai_v2",
} as const;

/**
 * Every span gets explicit sub-millisecond start and end times: the SDK's default start time is
 * Date.now(), so spans opened within one millisecond (a tool span and the chat call after it) would
 * tie and lose their order on a timeline. Python's SDK stamps nanoseconds.
 */

/** openai-v2's advisory bucket boundaries. */
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Python's start_as_current_span on an exception: the exception event and an error status. */
function recordFailure(span: Span, err: unknown): void {
  if (err instanceof Error) span.recordException(err, hrTime());
  span.setStatus({ code: SpanStatusCode.ERROR, message: `${err instanceof Error ? err.name : "Error"}: ${errorMessage(err)}` });
}

function isStream(value: JsonObject | AsyncIterable<JsonObject>): value is AsyncIterable<JsonObject> {
  return typeof (value as AsyncIterable<JsonObject>)[Symbol.asyncIterator] === "function";
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

class OtelTelemetry implements StackTelemetry {
  readonly enabled = true;
  private readonly active = new AsyncLocalStorage<Context>();
  private readonly propagator = new W3CTraceContextPropagator();
  private readonly tracers: Record<keyof typeof SCOPES, Tracer>;
  private readonly stackTracers = new Map<string, Tracer>();
  private readonly duration: Histogram;
  private readonly tokens: Histogram;

  constructor(private readonly sdk: Awaited<ReturnType<typeof startSdk>>) {
    const tp = sdk.tracerProvider;
    this.tracers = {
      server: tp.getTracer(SCOPES.server),
      http: tp.getTracer(SCOPES.http),
      genai: tp.getTracer(SCOPES.genai),
    };
    const meter = sdk.meterProvider.getMeter(SCOPES.genai);
    this.duration = meter.createHistogram("gen_ai.client.operation.duration", {
      description: "GenAI operation duration",
      unit: "s",
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.tokens = meter.createHistogram("gen_ai.client.token.usage", {
      description: "Measures number of input and output tokens used",
      unit: "{token}",
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
  }

  private current(): Context {
    return this.active.getStore() ?? ROOT_CONTEXT;
  }

  private within<T>(span: Span, fn: () => T): T {
    return this.active.run(trace.setSpan(this.current(), span), fn);
  }

  instrumentServer(app: FastifyInstance): void {
    app.addHook("onRequest", (req, reply, done) => {
      const route = (req.routeOptions.config as Partial<StackRouteConfig> | undefined)?.upstreamPath;
      const parent = this.propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
      const socket = req.raw.socket;
      const span = this.tracers.server.startSpan(
        serverSpanName(req.method, route),
        {
          kind: SpanKind.SERVER,
          startTime: hrTime(),
          attributes: serverSpanAttributes({
            method: req.method,
            url: req.raw.url ?? req.url,
            route,
            host: header(req.headers.host),
            userAgent: header(req.headers["user-agent"]),
            httpVersion: req.raw.httpVersion,
            localAddress: socket.localAddress,
            localPort: socket.localPort,
            remoteAddress: socket.remoteAddress,
            remotePort: socket.remotePort,
          }),
        },
        parent,
      );
      const context = trace.setSpan(parent, span);
      setRequestRunner(req, (fn) => this.active.run(context, fn));
      // 'close' follows a finished response and an aborted one alike: the span always ends.
      reply.raw.once("close", () => {
        const status = reply.raw.statusCode;
        span.setAttribute("http.status_code", status);
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end(hrTime());
      });
      done();
    });
  }

  recording(): boolean {
    return trace.getSpan(this.current())?.isRecording() ?? false;
  }

  async span<T>(scope: string, name: string, attributes: SpanAttributes, fn: (span: SpanHandle) => Promise<T>): Promise<T> {
    let tracer = this.stackTracers.get(scope);
    if (!tracer) {
      tracer = this.sdk.tracerProvider.getTracer(scope);
      this.stackTracers.set(scope, tracer);
    }
    const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes, startTime: hrTime() }, this.current());
    try {
      return await this.within(span, () => fn({ setAttributes: (a) => span.setAttributes(a) }));
    } catch (err) {
      recordFailure(span, err);
      throw err;
    } finally {
      span.end(hrTime());
    }
  }

  async httpClient<T extends HttpExchange>(method: string, url: string, headers: Record<string, string>, send: () => Promise<T>): Promise<T> {
    const span = this.tracers.http.startSpan(method, { kind: SpanKind.CLIENT, attributes: { "http.method": method, "http.url": url }, startTime: hrTime() }, this.current());
    this.propagator.inject(trace.setSpan(this.current(), span), headers, defaultTextMapSetter);
    try {
      const res = await send();
      span.setAttribute("http.status_code", res.statusCode);
      if (res.statusCode >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      return res;
    } catch (err) {
      recordFailure(span, err);
      throw err;
    } finally {
      span.end(hrTime());
    }
  }

  instrumentFetch(fetchImpl: typeof fetch): typeof fetch {
    return async (input, init) => {
      const request = input instanceof Request ? input : null;
      const url = request ? request.url : String(input);
      const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
      const headers = Object.fromEntries(new Headers(init?.headers ?? request?.headers).entries());
      const exchange = await this.httpClient(method, url, headers, async () => {
        const response = await fetchImpl(input, { ...init, headers });
        return { statusCode: response.status, response };
      });
      return exchange.response;
    };
  }

  chat(baseUrl: string, body: JsonObject, call: () => Promise<JsonObject | AsyncIterable<JsonObject>>): Promise<JsonObject | AsyncIterable<JsonObject>> {
    return this.providerCall("chat", baseUrl, body, call);
  }

  embeddings(baseUrl: string, body: JsonObject, call: () => Promise<JsonObject>): Promise<JsonObject> {
    return this.providerCall("embeddings", baseUrl, body, call) as Promise<JsonObject>;
  }

  private async providerCall(
    operation: GenAiOperation,
    baseUrl: string,
    body: JsonObject,
    call: () => Promise<JsonObject | AsyncIterable<JsonObject>>,
  ): Promise<JsonObject | AsyncIterable<JsonObject>> {
    const request = requestAttributes(operation, body, baseUrl);
    const span = this.tracers.genai.startSpan(spanName(request), { kind: SpanKind.CLIENT, attributes: request, startTime: hrTime() }, this.current());
    const started = performance.now();
    const record = (response: JsonObject | null, errorType: string | null): void => {
      const attributes = metricAttributes(request, response, errorType);
      this.duration.record(Math.max(performance.now() - started, 0) / 1000, attributes);
      if (!response) return;
      const counts = tokenCounts(operation, response);
      if (counts.input !== undefined) this.tokens.record(counts.input, { ...attributes, "gen_ai.token.type": "input" });
      if (counts.output !== undefined) this.tokens.record(counts.output, { ...attributes, "gen_ai.token.type": "output" });
    };
    let result: JsonObject | AsyncIterable<JsonObject>;
    try {
      result = await this.within(span, call);
    } catch (err) {
      const errorType = openAiErrorType(err);
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(err) });
      span.setAttribute("error.type", errorType);
      span.end(hrTime());
      record(null, errorType);
      throw err;
    }
    if (isStream(result)) {
      record(null, null);
      return this.relayStream(span, result);
    }
    span.setAttributes(responseAttributes(operation, result));
    span.end(hrTime());
    record(result, null);
    return result;
  }

  private async *relayStream(span: Span, chunks: AsyncIterable<JsonObject>): AsyncGenerator<JsonObject> {
    const seen = new StreamObservation();
    try {
      for await (const chunk of chunks) {
        seen.observe(chunk);
        yield chunk;
      }
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(err) });
      span.setAttribute("error.type", openAiErrorType(err));
      throw err;
    } finally {
      span.setAttributes(seen.attributes());
      span.end(hrTime());
    }
  }

  shutdown(): Promise<void> {
    return this.sdk.shutdown();
  }
}

export async function startOtelTelemetry(config: TelemetryConfig): Promise<StackTelemetry> {
  return new OtelTelemetry(await startSdk(config));
}
