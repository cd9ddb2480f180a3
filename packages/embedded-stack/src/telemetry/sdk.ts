/**
 * The OpenTelemetry Node SDK pieces the stack exports with: a tracer provider with a batch span
 * processor and a meter provider with a periodic reader (cumulative temporality, Python's default),
 * both over the official OTLP/HTTP exporters of the configured encoding. Owned by one stack: nothing
 * is registered globally, so several stacks (or a test's own SDK) can share a process.
 */
import type { MeterProvider as MeterProviderApi, TracerProvider as TracerProviderApi } from "@opentelemetry/api";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from "@opentelemetry/sdk-metrics";
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace";
import type { TelemetryConfig } from "./config.js";

export interface TelemetrySdk {
  tracerProvider: TracerProviderApi;
  meterProvider: MeterProviderApi;
  /** Flushes and stops both providers; resolves within the export timeouts even if the collector never answers. */
  shutdown(): Promise<void>;
}

async function spanExporter(config: TelemetryConfig): Promise<SpanExporter> {
  const options = { url: `${config.endpoint}/v1/traces`, timeoutMillis: config.exportTimeoutMs };
  if (config.protocol === "http/json") return new (await import("@opentelemetry/exporter-trace-otlp-http")).OTLPTraceExporter(options);
  return new (await import("@opentelemetry/exporter-trace-otlp-proto")).OTLPTraceExporter(options);
}

async function metricExporter(config: TelemetryConfig): Promise<PushMetricExporter> {
  const options = {
    url: `${config.endpoint}/v1/metrics`,
    timeoutMillis: config.exportTimeoutMs,
    temporalityPreference: AggregationTemporality.CUMULATIVE,
  };
  if (config.protocol === "http/json") return new (await import("@opentelemetry/exporter-metrics-otlp-http")).OTLPMetricExporter(options);
  return new (await import("@opentelemetry/exporter-metrics-otlp-proto")).OTLPMetricExporter(options);
}

function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

export async function startSdk(config: TelemetryConfig): Promise<TelemetrySdk> {
  const attributes: Record<string, string> = { ...config.resourceAttributes };
  if (config.serviceName) attributes["service.name"] = config.serviceName;
  const resource = defaultResource().merge(resourceFromAttributes(attributes));

  const spanProcessors = config.traces
    ? [
        new BatchSpanProcessor({
          exporter: await spanExporter(config),
          scheduledDelayMillis: config.spanScheduleDelayMs,
          exportTimeoutMillis: config.spanExportTimeoutMs,
        }),
      ]
    : [];
  const tracerProvider = new TracerProvider({ resource, spanProcessors });

  const readers = config.metrics
    ? [
        new PeriodicExportingMetricReader({
          exporter: await metricExporter(config),
          exportIntervalMillis: config.metricIntervalMs,
          // The reader refuses a timeout longer than its interval.
          exportTimeoutMillis: Math.min(config.metricExportTimeoutMs, config.metricIntervalMs),
        }),
      ]
    : [];
  const meterProvider = new MeterProvider({ resource, readers });

  // Shutdown flushes once per provider; each export is bounded by its timeout, so this is the worst case.
  const bound = Math.max(config.spanExportTimeoutMs, config.metricExportTimeoutMs, config.exportTimeoutMs) + 250;
  return {
    tracerProvider,
    meterProvider,
    shutdown: () => withDeadline(Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]), bound),
  };
}
