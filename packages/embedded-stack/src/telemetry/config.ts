/**
 * OpenTelemetry settings from the standard OTEL_* environment variables. Telemetry is off unless
 * OTEL_EXPORTER_OTLP_ENDPOINT is set; the rest only tune it. Read from the stack's own env (not
 * process.env), so an in-process stack is configured like the CLI.
 */

export type OtlpProtocol = "http/protobuf" | "http/json";

export interface TelemetryConfig {
  /** OTLP/HTTP base URL without a trailing slash; signals go to <endpoint>/v1/traces and /v1/metrics. */
  endpoint: string;
  protocol: OtlpProtocol;
  /** Undefined: the SDK's default service name. */
  serviceName: string | undefined;
  /** OTEL_RESOURCE_ATTRIBUTES, decoded. */
  resourceAttributes: Record<string, string>;
  traces: boolean;
  metrics: boolean;
  /** Milliseconds between span batch exports (OTEL_BSP_SCHEDULE_DELAY). */
  spanScheduleDelayMs: number;
  /** Bound on one span batch export (OTEL_BSP_EXPORT_TIMEOUT, else the OTLP timeout). */
  spanExportTimeoutMs: number;
  /** Milliseconds between metric exports (OTEL_METRIC_EXPORT_INTERVAL). */
  metricIntervalMs: number;
  /** Bound on one metric export (OTEL_METRIC_EXPORT_TIMEOUT, else the OTLP timeout). */
  metricExportTimeoutMs: number;
  /** Bound on one OTLP request, retries included (OTEL_EXPORTER_OTLP_TIMEOUT, milliseconds). */
  exportTimeoutMs: number;
}

export class TelemetryConfigError extends Error {
  constructor(variable: string, value: string, expected: string) {
    super(`${variable}='${value}' is not valid: expected ${expected}`);
    this.name = "TelemetryConfigError";
  }
}

const PROTOCOLS: readonly OtlpProtocol[] = ["http/protobuf", "http/json"];

/** The SDK defaults of the OpenTelemetry specification. */
const DEFAULT_SCHEDULE_DELAY_MS = 5_000;
const DEFAULT_METRIC_INTERVAL_MS = 60_000;
const DEFAULT_EXPORT_TIMEOUT_MS = 10_000;

function set(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = set(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new TelemetryConfigError(name, raw, "a whole number of milliseconds");
  return value;
}

/** `none` turns a signal off; `otlp` (the default) keeps it; other exporters are not available here. */
function exporterOn(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = set(env, name);
  if (raw === undefined || raw === "otlp") return true;
  if (raw === "none") return false;
  throw new TelemetryConfigError(name, raw, "'otlp' or 'none' (the embedded stack exports only over OTLP/HTTP)");
}

function resourceAttributes(env: NodeJS.ProcessEnv): Record<string, string> {
  const raw = set(env, "OTEL_RESOURCE_ATTRIBUTES");
  if (raw === undefined) return {};
  const out: Record<string, string> = {};
  for (const pair of raw.split(",")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new TelemetryConfigError("OTEL_RESOURCE_ATTRIBUTES", raw, "comma-separated key=value pairs");
    out[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
  }
  return out;
}

/** Null when telemetry is off (no OTEL_EXPORTER_OTLP_ENDPOINT). */
export function telemetryConfigFromEnv(env: NodeJS.ProcessEnv): TelemetryConfig | null {
  const endpoint = set(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
  if (endpoint === undefined) return null;
  if (!/^https?:\/\//.test(endpoint)) {
    throw new TelemetryConfigError("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "an http:// or https:// base URL of an OTLP/HTTP collector");
  }
  const protocol = set(env, "OTEL_EXPORTER_OTLP_PROTOCOL") ?? "http/protobuf";
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new TelemetryConfigError("OTEL_EXPORTER_OTLP_PROTOCOL", protocol, "'http/protobuf' or 'http/json' (gRPC is not supported by the embedded stack)");
  }
  const exportTimeoutMs = milliseconds(env, "OTEL_EXPORTER_OTLP_TIMEOUT", DEFAULT_EXPORT_TIMEOUT_MS);
  return {
    endpoint: endpoint.replace(/\/+$/, ""),
    protocol: protocol as OtlpProtocol,
    serviceName: set(env, "OTEL_SERVICE_NAME"),
    resourceAttributes: resourceAttributes(env),
    traces: exporterOn(env, "OTEL_TRACES_EXPORTER"),
    metrics: exporterOn(env, "OTEL_METRICS_EXPORTER"),
    spanScheduleDelayMs: milliseconds(env, "OTEL_BSP_SCHEDULE_DELAY", DEFAULT_SCHEDULE_DELAY_MS),
    spanExportTimeoutMs: milliseconds(env, "OTEL_BSP_EXPORT_TIMEOUT", exportTimeoutMs),
    metricIntervalMs: milliseconds(env, "OTEL_METRIC_EXPORT_INTERVAL", DEFAULT_METRIC_INTERVAL_MS),
    metricExportTimeoutMs: milliseconds(env, "OTEL_METRIC_EXPORT_TIMEOUT", exportTimeoutMs),
    exportTimeoutMs,
  };
}
