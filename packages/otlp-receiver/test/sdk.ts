import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter as JsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { AggregationTemporality, AggregationType, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

/** The OpenTelemetry JS SDK wired to the official OTLP exporters, pointed at a receiver. */

export const RESOURCE = resourceFromAttributes({ "service.name": "otlp-receiver-test", "deployment.environment": "test", "host.cpus": 2 });

export type Compression = "gzip" | "none";

const ALGORITHMS: Record<Compression, CompressionAlgorithm> = { gzip: CompressionAlgorithm.GZIP, none: CompressionAlgorithm.NONE };

export function tracerProvider(url: string, encoding: "protobuf" | "json", compression: Compression = "none"): TracerProvider {
  const options = { url: `${url}/v1/traces`, compression: ALGORITHMS[compression] };
  const exporter = encoding === "protobuf" ? new ProtoTraceExporter(options) : new JsonTraceExporter(options);
  // Batching is flushed explicitly by the tests (forceFlush), never by a timer.
  const processor = new BatchSpanProcessor({ exporter, scheduledDelayMillis: 3_600_000 });
  return new TracerProvider({ resource: RESOURCE, spanProcessors: [processor] });
}

export function meterProvider(url: string, temporality: AggregationTemporality, compression: Compression = "none"): MeterProvider {
  const exporter = new OTLPMetricExporter({ url: `${url}/v1/metrics`, compression: ALGORITHMS[compression], temporalityPreference: temporality });
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  // "sizes" is aggregated as an exponential histogram, so that type crosses the wire too.
  const views = [{ instrumentName: "sizes", aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } as const }];
  return new MeterProvider({ resource: RESOURCE, readers: [reader], views });
}

export function loggerProvider(url: string, compression: Compression = "none"): LoggerProvider {
  const exporter = new OTLPLogExporter({ url: `${url}/v1/logs`, compression: ALGORITHMS[compression] });
  return new LoggerProvider({ resource: RESOURCE, processors: [new SimpleLogRecordProcessor({ exporter })] });
}

export { AggregationTemporality };
