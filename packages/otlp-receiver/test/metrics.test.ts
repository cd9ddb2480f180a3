import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startOtlpReceiver, type Metric, type OtlpReceiver } from "../src/index.js";
import { AggregationTemporality, meterProvider } from "./sdk.js";

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => receiver.clear());

function find<T extends Metric["type"]>(metrics: readonly Metric[], name: string, type: T): Extract<Metric, { type: T }> {
  const metric = metrics.find((m) => m.name === name);
  expect(metric?.type).toBe(type);
  return metric as Extract<Metric, { type: T }>;
}

describe.each([
  [AggregationTemporality.DELTA, "delta", "gzip"],
  [AggregationTemporality.CUMULATIVE, "cumulative", "none"],
] as const)("metrics over protobuf, temporality %s", (temporality, name, compression) => {
  it("normalizes sums, gauges, a histogram with its buckets and an exponential histogram", async () => {
    const provider = meterProvider(receiver.url, temporality, compression);
    const meter = provider.getMeter("receiver-metrics", "0.1.0");
    meter.createCounter("requests", { unit: "{request}", description: "requests served" }).add(5, { route: "/v1/chat" });
    meter.createGauge("queue.depth").record(2.5);
    const latency = meter.createHistogram("latency", { unit: "ms", advice: { explicitBucketBoundaries: [10, 100] } });
    for (const ms of [5, 50, 500, 70]) latency.record(ms, { model: "tiny" });
    const sizes = meter.createHistogram("sizes", { unit: "By" });
    for (const bytes of [0, 3, 3, 1024]) sizes.record(bytes);
    await provider.forceFlush();
    await provider.shutdown();

    const metrics = await receiver.waitFor((r) => r.metrics.some((m) => m.name === "latency") && r.metrics, { description: "the latency histogram" });

    const requests = find(metrics, "requests", "sum");
    expect(requests).toMatchObject({ unit: "{request}", description: "requests served", temporality: name, isMonotonic: true, encoding: "protobuf" });
    expect(requests.points).toHaveLength(1);
    expect(requests.points[0]!.value).toEqual({ type: "double", value: 5 });
    expect(requests.points[0]!.attributes).toEqual({ route: { type: "string", value: "/v1/chat" } });

    const gauge = find(metrics, "queue.depth", "gauge");
    expect(gauge.points[0]!.value).toEqual({ type: "double", value: 2.5 });

    const histogram = find(metrics, "latency", "histogram");
    expect(histogram.temporality).toBe(name);
    expect(histogram.unit).toBe("ms");
    expect(histogram.points).toHaveLength(1);
    expect(histogram.points[0]).toMatchObject({
      count: 4,
      sum: 625,
      min: 5,
      max: 500,
      explicitBounds: [10, 100],
      bucketCounts: [1, 2, 1],
      attributes: { model: { type: "string", value: "tiny" } },
    });
    const exponential = find(metrics, "sizes", "exponentialHistogram");
    expect(exponential.temporality).toBe(name);
    const point = exponential.points[0]!;
    expect(point).toMatchObject({ count: 4, sum: 1030, min: 0, max: 1024, zeroCount: 1 });
    expect(point.positive.bucketCounts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(point.negative.bucketCounts).toEqual([]);

    expect(histogram.resource["service.name"]).toEqual({ type: "string", value: "otlp-receiver-test" });
    expect(histogram.scope).toMatchObject({ name: "receiver-metrics", version: "0.1.0" });
  });
});
