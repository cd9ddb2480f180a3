import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver } from "../src/index.js";
import { tracerProvider } from "./sdk.js";

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => receiver.clear());

/** Records a parent, a child with an event, and a span linked to the parent; returns their SDK ids. */
async function exportTrace(encoding: "protobuf" | "json", compression: "gzip" | "none") {
  const provider = tracerProvider(receiver.url, encoding, compression);
  const tracer = provider.getTracer("receiver-tests", "1.2.3");
  const parent = tracer.startSpan("parent", { kind: SpanKind.SERVER, attributes: { "http.method": "POST", retries: 3, ratio: 0.5, cached: false, tags: ["a", "b"] } });
  const child = tracer.startSpan("child", { kind: SpanKind.CLIENT }, trace.setSpan(context.active(), parent));
  child.addEvent("token", { index: 7 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: "boom" });
  child.end();
  const linked = tracer.startSpan("linked", { links: [{ context: parent.spanContext(), attributes: { why: "follows" } }] });
  linked.end();
  parent.end();
  await provider.forceFlush();
  await provider.shutdown();
  return { parent: parent.spanContext(), child: child.spanContext(), linked: linked.spanContext() };
}

describe.each([
  ["protobuf", "none"],
  ["protobuf", "gzip"],
  ["json", "none"],
  ["json", "gzip"],
] as const)("traces over %s (compression %s)", (encoding, compression) => {
  it("normalizes ids, parent links, kinds, status, events, links and typed attributes", async () => {
    const ids = await exportTrace(encoding, compression);
    const spans = await receiver.waitFor((r) => r.spans.length === 3 && r.spans, { description: "3 spans" });

    expect(spans.every((s) => s.encoding === encoding)).toBe(true);
    const byName = Object.fromEntries(receiver.spansOfTrace(ids.parent.traceId.toUpperCase()).map((s) => [s.name, s]));
    const parent = byName.parent!;
    const child = byName.child!;
    expect(parent.traceId).toBe(ids.parent.traceId);
    expect(parent.spanId).toBe(ids.parent.spanId);
    expect(parent.parentSpanId).toBe("");
    expect(child.parentSpanId).toBe(parent.spanId);
    expect(child.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);

    expect(parent.kind).toBe("server");
    expect(child.kind).toBe("client");
    expect(child.status).toEqual({ code: "error", message: "boom" });
    expect(parent.status.code).toBe("unset");
    expect(BigInt(parent.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(parent.startTimeUnixNano));

    expect(parent.attributes).toEqual({
      "http.method": { type: "string", value: "POST" },
      retries: { type: "int", value: 3n },
      ratio: { type: "double", value: 0.5 },
      cached: { type: "bool", value: false },
      tags: { type: "array", value: [{ type: "string", value: "a" }, { type: "string", value: "b" }] },
    });
    expect(child.events).toEqual([{ name: "token", timeUnixNano: expect.stringMatching(/^\d+$/), attributes: { index: { type: "int", value: 7n } } }]);

    const linked = spans.find((s) => s.name === "linked")!;
    expect(linked.links).toEqual([
      { traceId: ids.parent.traceId, spanId: ids.parent.spanId, traceState: "", attributes: { why: { type: "string", value: "follows" } } },
    ]);

    expect(parent.resource["service.name"]).toEqual({ type: "string", value: "otlp-receiver-test" });
    expect(parent.resource["host.cpus"]).toEqual({ type: "int", value: 2n });
    expect(parent.scope).toMatchObject({ name: "receiver-tests", version: "1.2.3" });
  });
});
