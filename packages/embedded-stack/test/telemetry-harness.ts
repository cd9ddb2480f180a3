/** The stack with telemetry on, exporting to a real OTLP receiver; spans are found by the trace id a test sends. */
import { randomBytes } from "node:crypto";
import { startOtlpReceiver, type AttributeValue, type OtlpReceiver, type Span } from "@llama-stack-tests/otlp-receiver";
import { startHarness, type Harness, type HarnessOptions } from "./server-harness.js";
import type { FakeProvider } from "./server-fake-provider.js";

/** Fast exports, so a test waits milliseconds; a bounded export timeout. */
export function telemetryEnv(endpoint: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_SERVICE_NAME: "embedded-stack-test",
    OTEL_BSP_SCHEDULE_DELAY: "20",
    OTEL_METRIC_EXPORT_INTERVAL: "50",
    OTEL_EXPORTER_OTLP_TIMEOUT: "1000",
    ...extra,
  };
}

export interface TelemetryHarness extends Harness {
  receiver: OtlpReceiver;
}

export async function startTelemetryHarness(
  opts: { env?: (provider: FakeProvider) => NodeJS.ProcessEnv; otel?: NodeJS.ProcessEnv } & Pick<HarnessOptions, "configPath"> = {},
): Promise<TelemetryHarness> {
  const receiver = await startOtlpReceiver();
  const harness = await startHarness({
    configPath: opts.configPath,
    env: (provider) => ({ ...(opts.env ? opts.env(provider) : { LLAMA_CPP_URL: provider.baseUrl }), ...telemetryEnv(receiver.url, opts.otel) }),
  });
  return {
    ...harness,
    receiver,
    async close() {
      await harness.close();
      await receiver.close();
    },
  };
}

export interface TraceParent {
  traceId: string;
  parentSpanId: string;
  header: string;
}

export function newTraceParent(): TraceParent {
  const traceId = randomBytes(16).toString("hex");
  const parentSpanId = randomBytes(8).toString("hex");
  return { traceId, parentSpanId, header: `00-${traceId}-${parentSpanId}-01` };
}

/** An attribute as a plain value: ints as numbers, arrays of plain values. */
export function plain(value: AttributeValue | undefined): unknown {
  if (value === undefined) return undefined;
  switch (value.type) {
    case "int":
      return Number(value.value);
    case "array":
      return value.value.map(plain);
    case "kvlist":
      return Object.fromEntries(Object.entries(value.value).map(([k, v]) => [k, plain(v)]));
    case "empty":
      return null;
    default:
      return value.value;
  }
}

export function attributes(span: Span): Record<string, unknown> {
  return Object.fromEntries(Object.entries(span.attributes).map(([k, v]) => [k, plain(v)]));
}

/**
 * Waits until the trace holds a span of each name, then returns every span of that trace. Exports of
 * one trace may arrive in any order (concurrent requests to the collector), so never wait for one only.
 */
export async function traceOf(receiver: OtlpReceiver, traceId: string, names: string[]): Promise<Span[]> {
  await receiver.waitFor((r) => names.every((name) => r.spans.some((s) => s.traceId === traceId && s.name === name)), {
    description: `spans ${names.join(", ")} of trace ${traceId}`,
  });
  return receiver.spansOfTrace(traceId);
}

export function only(spans: Span[], name: string): Span {
  const matching = spans.filter((s) => s.name === name);
  if (matching.length !== 1) throw new Error(`expected one span named '${name}', got ${matching.length}: ${spans.map((s) => s.name).join(", ")}`);
  return matching[0] as Span;
}
