/**
 * OpenTelemetry settings of a stack under test that exports to a collector: one definition for the
 * real server (the Python SDK under `opentelemetry-instrument`) and the embedded stack (the Node SDK).
 */

/** Set on a stack's env, this turns its telemetry on (both stacks); unset, they export nothing. */
export const OTLP_ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_ENDPOINT";

/** The command, next to `llama` in the real server's venv, that runs it with automatic instrumentation. */
export const OTEL_INSTRUMENT_COMMAND = "opentelemetry-instrument";

export interface TelemetryEnvOptions {
  /** OTLP/HTTP base URL; exporters append /v1/traces, /v1/metrics, /v1/logs. */
  endpoint: string;
  serviceName: string;
  /** Python's SDK reads OTEL_EXPORTER_OTLP_TIMEOUT in seconds, Node's in milliseconds (the spec's unit). */
  sdk: "python" | "node";
}

/**
 * OTLP over HTTP/protobuf (Python's default is gRPC), exported fast so a test waits milliseconds
 * rather than the SDK's 5 s / 60 s defaults, and with a 1 s export timeout so a collector that is
 * gone costs the stack at most that per export, never a stalled run (upstream disabled its telemetry
 * tests after exporter retries stalled CI for 20+ minutes). sqlite3's instrumentation is off, as
 * upstream's telemetry change advises: it double-wraps what sqlalchemy's already traces.
 */
export function telemetryEnv(opts: TelemetryEnvOptions): Record<string, string> {
  return {
    [OTLP_ENDPOINT_ENV]: opts.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    OTEL_SERVICE_NAME: opts.serviceName,
    OTEL_TRACES_EXPORTER: "otlp",
    OTEL_METRICS_EXPORTER: "otlp",
    OTEL_LOGS_EXPORTER: "none",
    OTEL_PYTHON_DISABLED_INSTRUMENTATIONS: "sqlite3",
    OTEL_BSP_SCHEDULE_DELAY: "100",
    OTEL_BSP_EXPORT_TIMEOUT: "1000",
    OTEL_METRIC_EXPORT_INTERVAL: "250",
    OTEL_METRIC_EXPORT_TIMEOUT: "1000",
    OTEL_EXPORTER_OTLP_TIMEOUT: opts.sdk === "python" ? "1" : "1000",
  };
}
