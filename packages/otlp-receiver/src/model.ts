/** The receiver's normalized view of OTLP data: one shape whatever the wire encoding was. */

export type Signal = "traces" | "metrics" | "logs";
export type Encoding = "protobuf" | "json";

/** An OTLP AnyValue with its type kept, so tests can tell 1 (int) from 1.0 (double). */
export type AttributeValue =
  | { type: "string"; value: string }
  | { type: "bool"; value: boolean }
  | { type: "int"; value: bigint }
  | { type: "double"; value: number }
  | { type: "bytes"; value: Uint8Array }
  | { type: "array"; value: AttributeValue[] }
  | { type: "kvlist"; value: Attributes }
  | { type: "empty" };

export type Attributes = Record<string, AttributeValue>;

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: Attributes;
}

/** What every record carries about where it came from. */
export interface Origin {
  resource: Attributes;
  scope: InstrumentationScope;
  encoding: Encoding;
}

export type SpanKind = "unspecified" | "internal" | "server" | "client" | "producer" | "consumer";
export type StatusCode = "unset" | "ok" | "error";

export interface SpanEvent {
  name: string;
  timeUnixNano: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

/** Ids are lowercase hex; times are decimal nanosecond strings (they do not fit a double). */
export interface Span extends Origin {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: SpanKind;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  status: { code: StatusCode; message: string };
}

export type MetricType = "sum" | "gauge" | "histogram" | "exponentialHistogram" | "summary";
export type Temporality = "unspecified" | "delta" | "cumulative";

interface PointBase {
  attributes: Attributes;
  startTimeUnixNano: string;
  timeUnixNano: string;
}

export interface NumberPoint extends PointBase {
  /** int points keep their integer type; double points are numbers. */
  value: { type: "int"; value: bigint } | { type: "double"; value: number };
}

export interface HistogramPoint extends PointBase {
  count: number;
  sum: number | undefined;
  min: number | undefined;
  max: number | undefined;
  bucketCounts: number[];
  explicitBounds: number[];
}

export interface ExponentialHistogramPoint extends PointBase {
  count: number;
  sum: number | undefined;
  min: number | undefined;
  max: number | undefined;
  scale: number;
  zeroCount: number;
  positive: { offset: number; bucketCounts: number[] };
  negative: { offset: number; bucketCounts: number[] };
}

export interface SummaryPoint extends PointBase {
  count: number;
  sum: number;
  quantiles: { quantile: number; value: number }[];
}

interface MetricBase extends Origin {
  name: string;
  description: string;
  unit: string;
}

export type Metric =
  | (MetricBase & { type: "sum"; temporality: Temporality; isMonotonic: boolean; points: NumberPoint[] })
  | (MetricBase & { type: "gauge"; points: NumberPoint[] })
  | (MetricBase & { type: "histogram"; temporality: Temporality; points: HistogramPoint[] })
  | (MetricBase & { type: "exponentialHistogram"; temporality: Temporality; points: ExponentialHistogramPoint[] })
  | (MetricBase & { type: "summary"; points: SummaryPoint[] });

export interface LogRecord extends Origin {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  /** Undefined when the record has no body. */
  body: AttributeValue | undefined;
  attributes: Attributes;
  /** Hex, empty when the record is not tied to a span. */
  traceId: string;
  spanId: string;
  eventName: string;
}

/** Everything one request carried, after normalization. */
export interface Batch {
  spans: Span[];
  metrics: Metric[];
  logs: LogRecord[];
}
