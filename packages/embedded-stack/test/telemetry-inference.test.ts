/**
 * Telemetry of inference requests: server span, GenAI client span, HTTP client span and the GenAI
 * client metrics, exported over OTLP to a real receiver. Spans are found by the trace id of the
 * traceparent each request sends, never by timing.
 */
import type { HistogramPoint, Metric, OtlpReceiver } from "@llama-stack-tests/otlp-receiver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, sseData } from "./server-harness.js";
import { attributes, newTraceParent, only, plain, startTelemetryHarness, traceOf, type TelemetryHarness } from "./telemetry-harness.js";

const MODEL = "llama-cpp/tiny-random-llama";
const EMBED_MODEL = "llama-cpp/tiny-random-llama-embed";

let h: TelemetryHarness;
beforeAll(async () => {
  h = await startTelemetryHarness();
});
afterAll(() => h.close());

function providerOrigin(): { address: string; port: number } {
  const url = new URL(h.provider.baseUrl);
  return { address: url.hostname, port: Number(url.port) };
}

type Points = { count: number; sum: number };

/** The latest cumulative point of a histogram whose attributes include `match` (zero when none yet). */
function latest(received: readonly Metric[], name: string, match: Record<string, unknown>): Points & { metric?: Metric; point?: HistogramPoint } {
  for (let i = received.length - 1; i >= 0; i--) {
    const metric = received[i] as Metric;
    if (metric.name !== name || metric.type !== "histogram") continue;
    const point = metric.points.find((p) => Object.entries(match).every(([k, v]) => plain(p.attributes[k]) === v));
    if (point) return { count: point.count, sum: point.sum ?? 0, metric, point };
  }
  return { count: 0, sum: 0 };
}

/** Waits until the histogram's cumulative count has grown past `before` by `count`, and returns it. */
function grown(receiver: OtlpReceiver, name: string, match: Record<string, unknown>, before: Points, count: number) {
  return receiver.waitFor(
    (r) => {
      const now = latest(r.metrics, name, match);
      return now.count >= before.count + count ? now : undefined;
    },
    { description: `${name} ${JSON.stringify(match)} count ${before.count + count}` },
  );
}

describe("chat completions", () => {
  it("a server span child of the caller's traceparent, a chat span under it, an HTTP span under that, and token metrics", async () => {
    const tp = newTraceParent();
    const { address, port } = providerOrigin();
    const tokenMatch = { "gen_ai.request.model": "tiny-random-llama", "gen_ai.operation.name": "chat" };
    const inputBefore = latest(h.receiver.metrics(), "gen_ai.client.token.usage", { ...tokenMatch, "gen_ai.token.type": "input" });
    const outputBefore = latest(h.receiver.metrics(), "gen_ai.client.token.usage", { ...tokenMatch, "gen_ai.token.type": "output" });
    const durationBefore = latest(h.receiver.metrics(), "gen_ai.client.operation.duration", tokenMatch);

    const res = await postJson(`${h.url}/v1/chat/completions`, { model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 16, temperature: 0.5 }, {
      traceparent: tp.header,
      "user-agent": "telemetry-test",
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };

    const spans = await traceOf(h.receiver, tp.traceId, ["POST /v1/chat/completions", "chat tiny-random-llama", "POST"]);
    const server = only(spans, "POST /v1/chat/completions");
    expect(server.kind).toBe("server");
    expect(server.parentSpanId).toBe(tp.parentSpanId);
    expect(server.resource["service.name"]).toEqual({ type: "string", value: "embedded-stack-test" });
    expect(attributes(server)).toMatchObject({
      "http.route": "/v1/chat/completions",
      "http.method": "POST",
      "http.status_code": 200,
      "http.target": "/v1/chat/completions",
      "http.scheme": "http",
      "http.url": `${h.url}/v1/chat/completions`,
      "http.user_agent": "telemetry-test",
      "net.host.port": h.stack.port,
    });

    const chat = only(spans, "chat tiny-random-llama");
    expect(chat.kind).toBe("client");
    expect(chat.parentSpanId).toBe(server.spanId);
    expect(attributes(chat)).toEqual({
      "gen_ai.operation.name": "chat",
      "gen_ai.system": "openai",
      "gen_ai.request.model": "tiny-random-llama",
      "gen_ai.request.max_tokens": 16,
      "gen_ai.request.temperature": 0.5,
      "server.address": address,
      "server.port": port,
      "gen_ai.response.model": "tiny-random-llama",
      "gen_ai.response.id": expect.stringMatching(/^chatcmpl-fake-/),
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": body.usage.prompt_tokens,
      "gen_ai.usage.output_tokens": body.usage.completion_tokens,
    });
    expect(chat.attributes["gen_ai.usage.input_tokens"]?.type).toBe("int");

    const http = only(spans, "POST");
    expect(http.kind).toBe("client");
    expect(http.parentSpanId).toBe(chat.spanId);
    expect(attributes(http)).toEqual({ "http.method": "POST", "http.url": `${h.provider.baseUrl}/chat/completions`, "http.status_code": 200 });

    // The provider joined the trace: the traceparent it got names the HTTP span.
    const sent = h.provider.requests.filter((r) => r.path === "/v1/chat/completions").at(-1);
    expect(sent?.headers.traceparent).toBe(`00-${tp.traceId}-${http.spanId}-01`);

    const input = await grown(h.receiver, "gen_ai.client.token.usage", { ...tokenMatch, "gen_ai.token.type": "input" }, inputBefore, 1);
    expect(input.sum - inputBefore.sum).toBe(body.usage.prompt_tokens);
    expect(input.metric?.unit).toBe("{token}");
    expect(input.metric?.type === "histogram" && input.metric.temporality).toBe("cumulative");
    expect(Object.fromEntries(Object.entries(input.point?.attributes ?? {}).map(([k, v]) => [k, plain(v)]))).toEqual({
      ...tokenMatch,
      "gen_ai.system": "openai",
      "gen_ai.response.model": "tiny-random-llama",
      "gen_ai.token.type": "input",
      "server.address": address,
      "server.port": port,
    });
    const output = await grown(h.receiver, "gen_ai.client.token.usage", { ...tokenMatch, "gen_ai.token.type": "output" }, outputBefore, 1);
    expect(output.sum - outputBefore.sum).toBe(body.usage.completion_tokens);
    const duration = await grown(h.receiver, "gen_ai.client.operation.duration", tokenMatch, durationBefore, 1);
    expect(duration.metric?.unit).toBe("s");
    expect(duration.point?.attributes["gen_ai.token.type"]).toBeUndefined();
  });

  it("a stream without include_usage: the chat span ends with the stream and carries no token counts", async () => {
    const tp = newTraceParent();
    const res = await postJson(`${h.url}/v1/chat/completions`, { model: MODEL, messages: [{ role: "user", content: "hi" }], stream: true }, { traceparent: tp.header });
    expect(sseData(await res.text()).length).toBeGreaterThan(1);
    const spans = await traceOf(h.receiver, tp.traceId, ["POST /v1/chat/completions", "chat tiny-random-llama", "POST"]);
    const chat = only(spans, "chat tiny-random-llama");
    expect(chat.parentSpanId).toBe(only(spans, "POST /v1/chat/completions").spanId);
    // The project's model server is a vLLM-type provider upstream: no stream_options added for telemetry.
    expect(h.provider.requests.at(-1)?.body?.stream_options).toBeUndefined();
    const attrs = attributes(chat);
    expect(attrs).toMatchObject({ "gen_ai.response.model": "tiny-random-llama", "gen_ai.response.id": "chatcmpl-fake-stream" });
    expect(attrs["gen_ai.usage.input_tokens"]).toBeUndefined();
    expect(attrs["gen_ai.usage.output_tokens"]).toBeUndefined();
    expect(BigInt(chat.endTimeUnixNano)).toBeLessThanOrEqual(BigInt(only(spans, "POST /v1/chat/completions").endTimeUnixNano));
  });

  it("a stream with include_usage: token counts from the final usage chunk", async () => {
    const tp = newTraceParent();
    const res = await postJson(
      `${h.url}/v1/chat/completions`,
      { model: MODEL, messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true } },
      { traceparent: tp.header },
    );
    const chunks = sseData(await res.text()).map((d) => JSON.parse(d) as { usage?: { prompt_tokens: number; completion_tokens: number } });
    const usage = chunks.find((c) => c.usage)?.usage;
    expect(usage).toBeDefined();
    const spans = await traceOf(h.receiver, tp.traceId, ["POST /v1/chat/completions", "chat tiny-random-llama", "POST"]);
    expect(attributes(only(spans, "chat tiny-random-llama"))).toMatchObject({
      "gen_ai.usage.input_tokens": usage?.prompt_tokens,
      "gen_ai.usage.output_tokens": usage?.completion_tokens,
    });
  });

  it("a provider error: the chat span and HTTP span are errors, the server span carries the status", async () => {
    const tp = newTraceParent();
    const res = await postJson(`${h.url}/v1/chat/completions`, { model: "llama-cpp/rate-limited", messages: [{ role: "user", content: "hi" }] }, { traceparent: tp.header });
    expect(res.status).toBe(429);
    const spans = await traceOf(h.receiver, tp.traceId, ["POST /v1/chat/completions", "chat rate-limited", "POST"]);
    const chat = only(spans, "chat rate-limited");
    expect(chat.status.code).toBe("error");
    expect(attributes(chat)["error.type"]).toBe("RateLimitError");
    const http = only(spans, "POST");
    expect(http.status.code).toBe("error");
    expect(attributes(http)["http.status_code"]).toBe(429);
    expect(attributes(only(spans, "POST /v1/chat/completions"))["http.status_code"]).toBe(429);
  });
});

describe("embeddings", () => {
  it("an embeddings span with encoding format, dimension count and input tokens, and its token metric", async () => {
    const tp = newTraceParent();
    const match = { "gen_ai.request.model": "tiny-random-llama-embed", "gen_ai.operation.name": "embeddings", "gen_ai.token.type": "input" };
    const before = latest(h.receiver.metrics(), "gen_ai.client.token.usage", match);
    const res = await postJson(`${h.url}/v1/embeddings`, { model: EMBED_MODEL, input: ["a", "b"] }, { traceparent: tp.header });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { usage: { prompt_tokens: number } };
    const spans = await traceOf(h.receiver, tp.traceId, ["POST /v1/embeddings", "embeddings tiny-random-llama-embed", "POST"]);
    const span = only(spans, "embeddings tiny-random-llama-embed");
    expect(span.kind).toBe("client");
    expect(span.parentSpanId).toBe(only(spans, "POST /v1/embeddings").spanId);
    const { address, port } = providerOrigin();
    expect(attributes(span)).toEqual({
      "gen_ai.operation.name": "embeddings",
      "gen_ai.system": "openai",
      "gen_ai.request.model": "tiny-random-llama-embed",
      "gen_ai.request.encoding_formats": ["float"],
      "server.address": address,
      "server.port": port,
      "gen_ai.response.model": "tiny-random-llama-embed",
      "gen_ai.embeddings.dimension.count": 64,
      "gen_ai.usage.input_tokens": body.usage.prompt_tokens,
    });
    expect(only(spans, "POST").parentSpanId).toBe(span.spanId);
    const after = await grown(h.receiver, "gen_ai.client.token.usage", match, before, 1);
    expect(after.sum - before.sum).toBe(body.usage.prompt_tokens);
    // All embedding tokens are input tokens: no output record.
    expect(latest(h.receiver.metrics(), "gen_ai.client.token.usage", { ...match, "gen_ai.token.type": "output" }).count).toBe(0);
  });
});

describe("server spans", () => {
  it("name a path-parameter route by its template, and an unknown route by its method alone", async () => {
    const tp = newTraceParent();
    const res = await fetch(`${h.url}/v1/models/${encodeURIComponent("llama-cpp/tiny-random-llama")}`, { headers: { traceparent: tp.header } });
    expect(res.status).toBe(200);
    const [route] = await traceOf(h.receiver, tp.traceId, ["GET /v1/models/{model_id:path}"]);
    expect(attributes(route!)).toMatchObject({ "http.route": "/v1/models/{model_id:path}", "http.target": "/v1/models/llama-cpp/tiny-random-llama", "http.status_code": 200 });

    const unknown = newTraceParent();
    expect((await fetch(`${h.url}/v1/nothing-here`, { headers: { traceparent: unknown.header } })).status).toBe(404);
    const [span] = await traceOf(h.receiver, unknown.traceId, ["GET"]);
    expect(attributes(span!)["http.route"]).toBeUndefined();
    expect(attributes(span!)["http.status_code"]).toBe(404);
  });

  it("start a new trace when the request has no traceparent", async () => {
    const res = await fetch(`${h.url}/v1/models`, { headers: { "user-agent": "no-traceparent-test" } });
    expect(res.status).toBe(200);
    const span = await h.receiver.waitFor((r) => r.spans.find((s) => s.name === "GET /v1/models" && plain(s.attributes["http.user_agent"]) === "no-traceparent-test"), {
      description: "the GET /v1/models server span",
    });
    expect(span.parentSpanId).toBe("");
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
