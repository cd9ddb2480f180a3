/** Histogram totals per series, and how much they grew across one request. */
import type { HistogramPoint, Metric, OtlpReceiver } from "@llama-stack-tests/otlp-receiver";
import { plain } from "./spans.js";

export interface SeriesTotal {
  count: number;
  sum: number;
  /** The metric's unit as exported, e.g. "{token}" or "s". */
  unit: string;
}

type Histogram = Extract<Metric, { type: "histogram" }>;

function matches(point: HistogramPoint, where: Readonly<Record<string, string>>): boolean {
  return Object.entries(where).every(([k, v]) => plain(point.attributes[k]) === v);
}

const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

/**
 * Waits for a metrics export that happened after this call, so every request made before it is
 * counted: any metric point stamped later proves one.
 */
async function awaitExport(receiver: OtlpReceiver): Promise<void> {
  const since = nowNs();
  await receiver.waitFor((r) => r.metrics.some((m) => "points" in m && m.points.some((p) => BigInt(p.timeUnixNano) > since)), {
    timeoutMs: 20_000,
    description: `a metrics export after ${since} ns`,
  });
}

/**
 * The totals of histogram `name` over the series matching `where` in what the receiver holds.
 * Cumulative points: the newest per series; delta points: their sum. Zero when no such series was exported yet.
 */
function histogramTotal(receiver: OtlpReceiver, name: string, where: Readonly<Record<string, string>>): SeriesTotal {
  const histograms = receiver.metrics().filter((m): m is Histogram => m.name === name && m.type === "histogram");
  let unit = histograms[0]?.unit ?? "";
  const cumulative = new Map<string, HistogramPoint>();
  let count = 0;
  let sum = 0;
  for (const metric of histograms) {
    unit = metric.unit;
    for (const point of metric.points) {
      if (!matches(point, where)) continue;
      if (metric.temporality === "delta") {
        count += point.count;
        sum += point.sum ?? 0;
        continue;
      }
      const key = JSON.stringify(Object.entries(point.attributes).sort(), (_k, v) => (typeof v === "bigint" ? String(v) : v));
      const seen = cumulative.get(key);
      if (!seen || BigInt(point.timeUnixNano) >= BigInt(seen.timeUnixNano)) cumulative.set(key, point);
    }
  }
  for (const point of cumulative.values()) {
    count += point.count;
    sum += point.sum ?? 0;
  }
  return { count, sum, unit };
}

export interface HistogramQuery {
  name: string;
  where: Readonly<Record<string, string>>;
}

export interface Growth extends SeriesTotal {
  before: SeriesTotal;
  after: SeriesTotal;
}

/** What `fn` added to each queried histogram's matching series. */
export async function measureGrowth<T, K extends string>(
  receiver: OtlpReceiver,
  queries: Readonly<Record<K, HistogramQuery>>,
  fn: () => Promise<T>,
): Promise<{ result: T; growth: Record<K, Growth> }> {
  // One export covers every query: waiting per query would cost an export interval each.
  const totals = async () => {
    await awaitExport(receiver);
    const out = {} as Record<K, SeriesTotal>;
    for (const key of Object.keys(queries) as K[]) out[key] = histogramTotal(receiver, queries[key].name, queries[key].where);
    return out;
  };
  const before = await totals();
  const result = await fn();
  const after = await totals();
  const growth = {} as Record<K, Growth>;
  for (const key of Object.keys(queries) as K[]) {
    growth[key] = {
      before: before[key],
      after: after[key],
      count: after[key].count - before[key].count,
      sum: after[key].sum - before[key].sum,
      unit: after[key].unit,
    };
  }
  return { result, growth };
}
