/** Reading spans the receiver normalized: plain attribute values, lookups by name within one trace. */
import type { AttributeValue, Attributes, OtlpReceiver, Span } from "@llama-stack-tests/otlp-receiver";
import type { TraceSpanView, TraceView } from "@llama-stack-tests/report";

export type Plain = string | number | boolean | null | Plain[];

/** An attribute as a plain value: ints become numbers (token counts are far below 2^53). */
export function plain(value: AttributeValue | undefined): Plain | undefined {
  if (!value) return undefined;
  switch (value.type) {
    case "int":
      return Number(value.value);
    case "array":
      return value.value.map((v) => plain(v) ?? null);
    case "kvlist":
    case "bytes":
      return JSON.stringify(value.value, (_k, v) => (typeof v === "bigint" ? Number(v) : v));
    case "empty":
      return null;
    default:
      return value.value;
  }
}

export function attr(span: Span, name: string): Plain | undefined {
  return plain(span.attributes[name]);
}

export function plainAttributes(attributes: Attributes): Record<string, Plain | undefined> {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, plain(v)]));
}

/** A span named `name` in the trace, or undefined. */
export function spanNamed(spans: readonly Span[], name: string): Span | undefined {
  return spans.find((s) => s.name === name);
}

export function spansNamed(spans: readonly Span[], name: string): Span[] {
  return spans.filter((s) => s.name === name).sort(byStart);
}

export function byStart(a: Span, b: Span): number {
  return Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano));
}

/** The trace's spans once `ready` holds for them (checked on every export), or the wait's timeout error. */
export function waitForTrace(receiver: OtlpReceiver, traceId: string, description: string, ready: (spans: Span[]) => boolean): Promise<Span[]> {
  return receiver.waitFor(
    (received) => {
      const spans = received.spans.filter((s) => s.traceId === traceId);
      return ready(spans) ? spans : undefined;
    },
    { timeoutMs: 20_000, description: `${description} in trace ${traceId}` },
  );
}

/** True when `child` descends from `ancestor` within `spans`. */
export function descendsFrom(spans: readonly Span[], child: Span, ancestor: Span): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let at = byId.get(child.parentSpanId); at; at = byId.get(at.parentSpanId)) {
    if (at.spanId === ancestor.spanId) return true;
  }
  return false;
}

/**
 * The trace as the report's timeline shows it. The stack's storage spans (sqlalchemy) and ASGI's
 * per-message send/receive spans are left out: they are many and say nothing about the API.
 */
export function traceView(title: string, traceId: string, spans: readonly Span[]): TraceView {
  const shown = spans.filter((s) => !("db.system" in s.attributes) && !("asgi.event.type" in s.attributes));
  const start = shown.reduce((min, s) => (BigInt(s.startTimeUnixNano) < min ? BigInt(s.startTimeUnixNano) : min), BigInt(shown[0]?.startTimeUnixNano ?? 0));
  const view = (s: Span): TraceSpanView => ({
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name,
    kind: s.kind,
    startUs: Number((BigInt(s.startTimeUnixNano) - start) / 1000n),
    durationUs: Number((BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1000n),
    status: s.status.code,
    attributes: Object.fromEntries(
      Object.entries(plainAttributes(s.attributes)).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
  });
  return { traceId, title, spans: shown.map(view) };
}
