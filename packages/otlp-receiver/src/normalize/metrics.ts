import { OtlpShapeError } from "../errors.js";
import type {
  Encoding,
  ExponentialHistogramPoint,
  HistogramPoint,
  Metric,
  NumberPoint,
  SummaryPoint,
  Temporality,
} from "../model.js";
import { bool, count, double, int32, int64, list, nanos, obj, optionalDouble, str, type Obj, type WireDialect } from "../wire.js";
import { attributes, eachItem, enumName } from "./common.js";

const TEMPORALITIES: readonly Temporality[] = ["unspecified", "delta", "cumulative"];

function pointBase(p: Obj, path: string, dialect: WireDialect) {
  return {
    attributes: attributes(p.attributes, `${path}.attributes`, dialect),
    startTimeUnixNano: nanos(p.startTimeUnixNano, `${path}.startTimeUnixNano`),
    timeUnixNano: nanos(p.timeUnixNano, `${path}.timeUnixNano`),
  };
}

function numberPoint(p: Obj, path: string, dialect: WireDialect): NumberPoint {
  const value: NumberPoint["value"] =
    "asInt" in p
      ? { type: "int", value: int64(p.asInt, `${path}.asInt`) }
      : { type: "double", value: double(p.asDouble, `${path}.asDouble`) };
  return { ...pointBase(p, path, dialect), value };
}

/** What histograms and exponential histograms share: the point base, count, sum, min and max. */
function histogramBase(p: Obj, path: string, dialect: WireDialect) {
  return {
    ...pointBase(p, path, dialect),
    count: count(p.count, `${path}.count`),
    sum: optionalDouble(p.sum, `${path}.sum`),
    min: optionalDouble(p.min, `${path}.min`),
    max: optionalDouble(p.max, `${path}.max`),
  };
}

function histogramPoint(p: Obj, path: string, dialect: WireDialect): HistogramPoint {
  return {
    ...histogramBase(p, path, dialect),
    bucketCounts: list(p.bucketCounts, `${path}.bucketCounts`).map((c, i) => count(c, `${path}.bucketCounts[${i}]`)),
    explicitBounds: list(p.explicitBounds, `${path}.explicitBounds`).map((b, i) => double(b, `${path}.explicitBounds[${i}]`)),
  };
}

function buckets(raw: unknown, path: string) {
  const b = obj(raw, path);
  return {
    offset: int32(b.offset, `${path}.offset`),
    bucketCounts: list(b.bucketCounts, `${path}.bucketCounts`).map((c, i) => count(c, `${path}.bucketCounts[${i}]`)),
  };
}

function exponentialPoint(p: Obj, path: string, dialect: WireDialect): ExponentialHistogramPoint {
  return {
    ...histogramBase(p, path, dialect),
    scale: int32(p.scale, `${path}.scale`),
    zeroCount: count(p.zeroCount, `${path}.zeroCount`),
    positive: buckets(p.positive, `${path}.positive`),
    negative: buckets(p.negative, `${path}.negative`),
  };
}

function summaryPoint(p: Obj, path: string, dialect: WireDialect): SummaryPoint {
  return {
    ...pointBase(p, path, dialect),
    count: count(p.count, `${path}.count`),
    sum: double(p.sum, `${path}.sum`),
    quantiles: list(p.quantileValues, `${path}.quantileValues`).map((q, i) => {
      const v = obj(q, `${path}.quantileValues[${i}]`);
      return { quantile: double(v.quantile, `${path}.quantileValues[${i}].quantile`), value: double(v.value, `${path}.quantileValues[${i}].value`) };
    }),
  };
}

/** Reads `dataPoints` of one metric's data field with the point reader its type needs. */
function points<P>(data: Obj, path: string, dialect: WireDialect, read: (p: Obj, path: string, dialect: WireDialect) => P): P[] {
  return list(data.dataPoints, `${path}.dataPoints`).map((p, i) => read(obj(p, `${path}.dataPoints[${i}]`), `${path}.dataPoints[${i}]`, dialect));
}

function metric(m: Obj, path: string, dialect: WireDialect, base: Omit<Metric, "type" | "points">): Metric {
  if ("sum" in m) {
    const d = obj(m.sum, `${path}.sum`);
    return {
      ...base,
      type: "sum",
      temporality: enumName(TEMPORALITIES, d.aggregationTemporality, `${path}.sum.aggregationTemporality`),
      isMonotonic: bool(d.isMonotonic, `${path}.sum.isMonotonic`),
      points: points(d, `${path}.sum`, dialect, numberPoint),
    };
  }
  if ("gauge" in m) return { ...base, type: "gauge", points: points(obj(m.gauge, `${path}.gauge`), `${path}.gauge`, dialect, numberPoint) };
  if ("histogram" in m) {
    const d = obj(m.histogram, `${path}.histogram`);
    return {
      ...base,
      type: "histogram",
      temporality: enumName(TEMPORALITIES, d.aggregationTemporality, `${path}.histogram.aggregationTemporality`),
      points: points(d, `${path}.histogram`, dialect, histogramPoint),
    };
  }
  if ("exponentialHistogram" in m) {
    const d = obj(m.exponentialHistogram, `${path}.exponentialHistogram`);
    return {
      ...base,
      type: "exponentialHistogram",
      temporality: enumName(TEMPORALITIES, d.aggregationTemporality, `${path}.exponentialHistogram.aggregationTemporality`),
      points: points(d, `${path}.exponentialHistogram`, dialect, exponentialPoint),
    };
  }
  if ("summary" in m) return { ...base, type: "summary", points: points(obj(m.summary, `${path}.summary`), `${path}.summary`, dialect, summaryPoint) };
  throw new OtlpShapeError(path, "metric has no data (expected one of sum, gauge, histogram, exponentialHistogram, summary)");
}

export function normalizeMetrics(request: unknown, dialect: WireDialect, encoding: Encoding): Metric[] {
  const metrics: Metric[] = [];
  const keys = { resource: "resourceMetrics", scope: "scopeMetrics", items: "metrics" };
  eachItem(request, keys, dialect, encoding, (raw, path, origin) => {
    const m = obj(raw, path);
    const base = { ...origin, name: str(m.name, `${path}.name`), description: str(m.description, `${path}.description`), unit: str(m.unit, `${path}.unit`) };
    metrics.push(metric(m, path, dialect, base));
  });
  return metrics;
}
