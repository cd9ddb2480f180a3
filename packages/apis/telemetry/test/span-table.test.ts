/**
 * The span data table of upstream's telemetry change (7da733091a, "Architect Llama Stack Telemetry
 * Around Automatic Open Telemetry Instrumentation"), checked automatically: a stack of the run's kind
 * started with telemetry on, in live mode against the project's model server, exporting to an OTLP
 * receiver in this process. Each test sends its own W3C traceparent and reads the spans of that trace.
 */
import { startMcpServer, type RunningMcpServer } from "@llama-stack-tests/mcp-test-server";
import { GUARD_FLAG_MARKER } from "@llama-stack-tests/model-server/guard";
import { attachTrace, recordTelemetryFinding } from "@llama-stack-tests/report";
import { freePort, instrumentationUnavailable } from "@llama-stack-tests/stack/lifecycle";
import { toFile } from "openai";
import type { ResponseCreateParamsNonStreaming } from "openai/resources/responses/responses";
import type { Span } from "@llama-stack-tests/otlp-receiver";
import { afterAll, beforeAll, describe, expect, inject, test, type TestContext, vi } from "vitest";
import { conventionFindings } from "./support/conventions.js";
import { newTrace, providerModelId, startTelemetryHarness, type TelemetryHarness, type TraceContext } from "./support/harness.js";
import { measureGrowth, type HistogramQuery } from "./support/metrics.js";
import { attr, descendsFrom, spanNamed, spansNamed, traceView, waitForTrace } from "./support/spans.js";

/** Not an upstream file: local ids never own recordings (the tests run live). */
const ID = "local/telemetry";
const START_TIMEOUT = 240_000;
const CASE_TIMEOUT = 120_000;

const run = inject("llamaStack").options;
const unavailable = instrumentationUnavailable(run);

let h: TelemetryHarness;
let mcp: RunningMcpServer;

/** Skips when this run's stack cannot be instrumented; returns the harness otherwise. */
function harness(ctx: TestContext): TelemetryHarness {
  if (unavailable) ctx.skip(unavailable);
  return h;
}

function textModel(): string {
  const model = h.stack.options.models.text[0];
  if (!model) throw new Error(`setup ${h.stack.options.setupName} has no text model`);
  return model;
}

/** Records the trace for the report's timeline and the convention findings it shows. */
function report(ctx: TestContext, title: string, trace: TraceContext, spans: readonly Span[]): void {
  attachTrace(ctx.task, traceView(title, trace.traceId, spans));
  for (const finding of conventionFindings(spans)) recordTelemetryFinding(ctx.task, finding);
}

/** The stack's server span for `route`: a child of the test's remote parent, carrying http.route. */
function expectServerSpan(spans: readonly Span[], trace: TraceContext, route: string): Span {
  const server = spans.find((s) => s.kind === "server" && attr(s, "http.route") === route);
  expect(server, `a server span with http.route=${route} in ${spans.map((s) => s.name).join(", ")}`).toBeDefined();
  expect(server!.parentSpanId).toBe(trace.parentSpanId);
  return server!;
}

const hasServerSpan = (route: string) => (spans: Span[]) => spans.some((s) => s.kind === "server" && attr(s, "http.route") === route);

/** The GenAI client span of an operation on `model`, under `parent`. */
function expectGenAiSpan(spans: readonly Span[], operation: "chat" | "embeddings", model: string, parent: Span): Span {
  const span = spanNamed(spans, `${operation} ${model}`);
  expect(span, `a span named "${operation} ${model}" in ${spans.map((s) => s.name).join(", ")}`).toBeDefined();
  expect(span!.kind).toBe("client");
  expect(attr(span!, "gen_ai.operation.name")).toBe(operation);
  expect(attr(span!, "gen_ai.request.model")).toBe(model);
  expect(descendsFrom(spans, span!, parent)).toBe(true);
  return span!;
}

function tokenQueries(operation: string, model: string): Record<"input" | "output" | "duration", HistogramQuery> {
  const series = { "gen_ai.operation.name": operation, "gen_ai.request.model": model };
  return {
    input: { name: "gen_ai.client.token.usage", where: { ...series, "gen_ai.token.type": "input" } },
    output: { name: "gen_ai.client.token.usage", where: { ...series, "gen_ai.token.type": "output" } },
    duration: { name: "gen_ai.client.operation.duration", where: series },
  };
}

/**
 * A Responses request the tiny model answers with exactly one tool call: `required` makes the model
 * server emit a call (random weights never choose one), and `max_tool_calls` stops the loop after it.
 */
function oneToolCall(body: Pick<ResponseCreateParamsNonStreaming, "model" | "input" | "tools">): ResponseCreateParamsNonStreaming {
  // max_tool_calls is Llama Stack's (and OpenAI's) parameter; this SDK version's types lack it.
  return { ...body, tool_choice: "required", max_output_tokens: 16, max_tool_calls: 1 } as ResponseCreateParamsNonStreaming;
}

beforeAll(async () => {
  if (unavailable) return;
  h = await startTelemetryHarness(run);
  mcp = await startMcpServer({});
  // One chat completion and one embedding first, so every GenAI series exists: an SDK need not export
  // while it has nothing recorded, and a metric delta needs an export before the request it measures.
  await h.openai.chat.completions.create({ model: textModel(), messages: [{ role: "user", content: "warm-up" }], max_tokens: 2 });
  await h.openai.embeddings.create({ model: h.stack.options.models.embedding[0]!, input: "warm-up" });
  await h.receiver.waitFor((r) => r.metrics.some((m) => m.name === "gen_ai.client.token.usage"), {
    timeoutMs: 30_000,
    description: "a gen_ai.client.token.usage export after the warm-up requests",
  });
}, START_TIMEOUT);

afterAll(async () => {
  await mcp?.close();
  await h?.close();
}, START_TIMEOUT);

describe("inference", () => {
  const CASES = [
    { id: "plain", title: "chat completion", stream: false, includeUsage: false },
    { id: "stream", title: "streamed chat completion", stream: true, includeUsage: false },
    { id: "stream_include_usage", title: "streamed chat completion with stream_options.include_usage", stream: true, includeUsage: true },
  ] as const;

  for (const c of CASES) {
    test(`${ID}::test_chat_completion_spans[${c.id}]`, { timeout: CASE_TIMEOUT }, async (ctx) => {
      const { openai, receiver } = harness(ctx);
      const model = textModel();
      const providerModel = providerModelId(model);
      const trace = newTrace();
      const messages = [{ role: "user" as const, content: "Say hello in three words." }];

      const { result: usage, growth } = await measureGrowth(receiver, tokenQueries("chat", providerModel), async () => {
        if (!c.stream) {
          const response = await openai.chat.completions.create({ model, messages, max_tokens: 8 }, { headers: trace.headers });
          return response.usage ?? undefined;
        }
        const stream = await openai.chat.completions.create(
          { model, messages, max_tokens: 8, stream: true, ...(c.includeUsage ? { stream_options: { include_usage: true } } : {}) },
          { headers: trace.headers },
        );
        let last;
        for await (const chunk of stream) last = chunk.usage ?? last;
        return last ?? undefined;
      });

      const chatName = `chat ${providerModel}`;
      const spans = await waitForTrace(receiver, trace.traceId, `the server span and "${chatName}"`, (s) => hasServerSpan("/v1/chat/completions")(s) && !!spanNamed(s, chatName));
      report(ctx, c.title, trace, spans);
      const server = expectServerSpan(spans, trace, "/v1/chat/completions");
      const chat = expectGenAiSpan(spans, "chat", providerModel, server);

      if (c.includeUsage || !c.stream) {
        expect(usage, "the response carries usage").toBeDefined();
        expect(attr(chat, "gen_ai.usage.input_tokens")).toBe(usage!.prompt_tokens);
        expect(attr(chat, "gen_ai.usage.output_tokens")).toBe(usage!.completion_tokens);
        if (c.stream && growth.input.count + growth.output.count === 0) {
          // openai-v2 (2.3b0) records a stream's metrics when the stream opens, before its usage chunk:
          // the span has the counts, the histogram never does. The real server decides, so a finding.
          recordTelemetryFinding(ctx.task, {
            span: "gen_ai.client.token.usage",
            convention: "one record per token type for every operation with usage, streamed too",
            observed: "no records for streamed chat completions, though their spans carry gen_ai.usage.*",
          });
        } else {
          expect({ count: growth.input.count, sum: growth.input.sum }).toEqual({ count: 1, sum: usage!.prompt_tokens });
          expect({ count: growth.output.count, sum: growth.output.sum }).toEqual({ count: 1, sum: usage!.completion_tokens });
          expect(growth.input.unit).toBe("{token}");
        }
      } else {
        // Without include_usage the client gets no usage, and 0.4.0 asks the provider for none either
        // (its vLLM-type provider declares no stream_options support): no counts to report anywhere.
        expect(usage).toBeUndefined();
        expect(attr(chat, "gen_ai.usage.input_tokens")).toBeUndefined();
        expect(growth.input.count + growth.output.count).toBe(0);
      }
      expect(growth.duration.count).toBe(1);
      expect(growth.duration.unit).toBe("s");
    });
  }

  test(`${ID}::test_embeddings_spans`, { timeout: CASE_TIMEOUT }, async (ctx) => {
    const { openai, receiver } = harness(ctx);
    const model = h.stack.options.models.embedding[0];
    if (!model) throw new Error(`setup ${h.stack.options.setupName} has no embedding model`);
    const providerModel = providerModelId(model);
    const trace = newTrace();

    const { result: response, growth } = await measureGrowth(receiver, tokenQueries("embeddings", providerModel), () =>
      openai.embeddings.create({ model, input: ["the quick brown fox", "jumps over the lazy dog"], encoding_format: "float" }, { headers: trace.headers }),
    );

    const name = `embeddings ${providerModel}`;
    const spans = await waitForTrace(receiver, trace.traceId, `the server span and "${name}"`, (s) => hasServerSpan("/v1/embeddings")(s) && !!spanNamed(s, name));
    report(ctx, "embeddings", trace, spans);
    const server = expectServerSpan(spans, trace, "/v1/embeddings");
    const span = expectGenAiSpan(spans, "embeddings", providerModel, server);
    expect(attr(span, "gen_ai.usage.input_tokens")).toBe(response.usage.prompt_tokens);
    expect(attr(span, "gen_ai.embeddings.dimension.count")).toBe(response.data[0]!.embedding.length);
    expect({ count: growth.input.count, sum: growth.input.sum }).toEqual({ count: 1, sum: response.usage.prompt_tokens });
    expect(growth.duration.count).toBe(1);
    expect(growth.duration.unit).toBe("s");
  });
});

describe("safety", () => {
  const SAFETY_PREFIX = "llama_stack.safety";
  const CASES = [
    { id: "no_violation", content: "What is the capital of France?" },
    { id: "violation", content: `Help me with something dangerous. ${GUARD_FLAG_MARKER}` },
  ] as const;

  for (const c of CASES) {
    test(`${ID}::test_run_shield_spans[${c.id}]`, { timeout: CASE_TIMEOUT }, async (ctx) => {
      const { stack, receiver } = harness(ctx);
      const shieldId = stack.options.models.shield[0];
      if (!shieldId) throw new Error(`setup ${stack.options.setupName} has no shield`);
      const trace = newTrace();
      const messages = [{ role: "user", content: c.content }];
      const res = await fetch(`${stack.baseUrl}/v1/safety/run-shield`, {
        method: "POST",
        headers: { "content-type": "application/json", ...trace.headers },
        body: JSON.stringify({ shield_id: shieldId, messages, params: {} }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const { violation } = (await res.json()) as { violation: { violation_level: string; user_message: string | null; metadata: Record<string, unknown> } | null };
      if (c.id === "violation") expect(violation, "the guard flags the marked message").not.toBeNull();
      else expect(violation).toBeNull();

      const name = `run_shield ${shieldId}`;
      const spans = await waitForTrace(receiver, trace.traceId, `"${name}"`, (s) => hasServerSpan("/v1/safety/run-shield")(s) && !!spanNamed(s, name));
      report(ctx, `run_shield (${c.id.replace("_", " ")})`, trace, spans);
      const server = expectServerSpan(spans, trace, "/v1/safety/run-shield");
      const shield = spanNamed(spans, name)!;
      expect(descendsFrom(spans, shield, server)).toBe(true);
      expect(attr(shield, `${SAFETY_PREFIX}.request.shield_id`)).toBe(shieldId);
      const sent = JSON.parse(String(attr(shield, `${SAFETY_PREFIX}.request.messages`))) as unknown[];
      expect(sent).toHaveLength(messages.length);
      sent.forEach((m, i) => expect(m).toMatchObject(messages[i]!));

      const responseAttributes = ["response.metadata", "response.violation.level", "response.violation.user_message"].map((a) => `${SAFETY_PREFIX}.${a}`);
      if (!violation) {
        for (const a of responseAttributes) expect(attr(shield, a), a).toBeUndefined();
        return;
      }
      expect(JSON.parse(String(attr(shield, `${SAFETY_PREFIX}.response.metadata`)))).toEqual(violation.metadata);
      expect(attr(shield, `${SAFETY_PREFIX}.response.violation.level`)).toBe(violation.violation_level);
      expect(attr(shield, `${SAFETY_PREFIX}.response.violation.user_message`)).toBe(violation.user_message);
    });
  }
});

describe("remote tools", () => {
  test(`${ID}::test_responses_mcp_spans`, { timeout: CASE_TIMEOUT }, async (ctx) => {
    const { openai, receiver } = harness(ctx);
    const trace = newTrace();
    const label = "localmcp";
    const response = await openai.responses.create(
      oneToolCall({
        model: textModel(),
        input: "What is the boiling point of myawesomeliquid in celsius?",
        tools: [{ type: "mcp", server_label: label, server_url: mcp.url, require_approval: "never" }],
      }),
      { headers: trace.headers },
    );
    const listing = response.output.find((o) => o.type === "mcp_list_tools");
    const calls = response.output.filter((o) => o.type === "mcp_call");
    expect(listing, "an mcp_list_tools output item").toBeDefined();
    expect(calls.length, "tool_choice=required makes the model call a tool").toBeGreaterThan(0);

    const spans = await waitForTrace(
      receiver,
      trace.traceId,
      `list_mcp_tools and ${calls.length} invoke_mcp_tool spans`,
      (s) => hasServerSpan("/v1/responses")(s) && !!spanNamed(s, "list_mcp_tools") && spansNamed(s, "invoke_mcp_tool").length === calls.length,
    );
    report(ctx, "Responses call with an MCP tool", trace, spans);
    const server = expectServerSpan(spans, trace, "/v1/responses");
    const list = spanNamed(spans, "list_mcp_tools")!;
    expect(descendsFrom(spans, list, server)).toBe(true);
    expect(attr(list, "server_label")).toBe(label);
    expect(attr(list, "server_url")).toBe(mcp.url);
    expect(attr(list, "mcp_list_tools_id")).toBe(listing!.id);

    const invokes = spansNamed(spans, "invoke_mcp_tool");
    invokes.forEach((span, i) => {
      expect(descendsFrom(spans, span, server)).toBe(true);
      expect(attr(span, "tool_name")).toBe(calls[i]!.name);
      expect(attr(span, "server_label")).toBe(label);
      expect(attr(span, "server_url")).toBe(mcp.url);
      // Call order: the listing ends before the first call starts.
      expect(BigInt(span.startTimeUnixNano) >= BigInt(list.endTimeUnixNano)).toBe(true);
    });
  });

  test(`${ID}::test_responses_file_search_spans`, { timeout: CASE_TIMEOUT }, async (ctx) => {
    const { openai, receiver } = harness(ctx);
    const file = await openai.files.create({ file: await toFile(Buffer.from("The boiling point of myawesomeliquid is -100 degrees celsius."), "liquids.txt"), purpose: "assistants" });
    const store = await openai.vectorStores.create({ name: "telemetry-file-search", file_ids: [file.id] });
    await vi.waitFor(
      async () => expect((await openai.vectorStores.files.list(store.id)).data.map((f) => f.status), "the store's file is no longer in progress before the search").not.toContain("in_progress"),
      { timeout: CASE_TIMEOUT / 2, interval: 50 },
    );
    const trace = newTrace();
    const response = await openai.responses.create(
      oneToolCall({
        model: textModel(),
        input: "What is the boiling point of myawesomeliquid?",
        tools: [{ type: "file_search", vector_store_ids: [store.id] }],
      }),
      { headers: trace.headers },
    );
    expect(response.output.some((o) => o.type === "file_search_call"), "tool_choice=required makes the model search").toBe(true);
    const spans = await waitForTrace(receiver, trace.traceId, "a knowledge_search span", (s) => hasServerSpan("/v1/responses")(s) && !!spanNamed(s, "knowledge_search"));
    report(ctx, "Responses call with file_search", trace, spans);
    const server = expectServerSpan(spans, trace, "/v1/responses");
    expect(descendsFrom(spans, spanNamed(spans, "knowledge_search")!, server)).toBe(true);
  });

  test(`${ID}::test_responses_invoke_tool_spans`, (ctx) => {
    harness(ctx);
    ctx.skip("invoke_tool wraps the Responses API's web_search, whose search providers (Tavily, Brave) need the network; no offline provider backs it on the real server");
  });
});

describe("faults", () => {
  /**
   * Upstream disabled its telemetry tests after exporter retries stalled CI for 20+ minutes. A stack
   * whose collector is gone must answer and stop as if telemetry were off; its cost is measured by
   * the package's benchmark (pnpm --filter telemetry bench), not timed here.
   */
  test(`${ID}::test_unreachable_collector_does_not_stall`, { timeout: START_TIMEOUT }, async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    // A port nothing listens on: every export is refused.
    const dead = await startTelemetryHarness(run, `http://127.0.0.1:${await freePort()}`);
    try {
      const model = dead.stack.options.models.text[0]!;
      const chat = await dead.openai.chat.completions.create({ model, messages: [{ role: "user", content: "ping" }], max_tokens: 4 });
      expect(chat.choices).toHaveLength(1);
      const embedding = await dead.openai.embeddings.create({ model: dead.stack.options.models.embedding[0]!, input: "ping" });
      expect(embedding.data).toHaveLength(1);
      expect(dead.receiver.spans(), "the harness's own receiver was not the endpoint").toHaveLength(0);
    } finally {
      await dead.close();
    }
  });
});
