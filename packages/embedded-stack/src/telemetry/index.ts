/**
 * The stack's telemetry: off (a no-op, the OpenTelemetry SDK never loaded) unless
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, then the Node SDK exporting over OTLP/HTTP.
 */
import { telemetryConfigFromEnv } from "./config.js";
import type { StackTelemetry } from "./types.js";

export const NO_TELEMETRY: StackTelemetry = {
  enabled: false,
  instrumentServer: () => undefined,
  recording: () => false,
  span: (_scope, _name, _attributes, fn) => fn({ setAttributes: () => undefined }),
  chat: (_baseUrl, _body, call) => call(),
  embeddings: (_baseUrl, _body, call) => call(),
  httpClient: (_method, _url, _headers, send) => send(),
  instrumentFetch: (fetchImpl) => fetchImpl,
  shutdown: async () => undefined,
};

/** Throws TelemetryConfigError on a malformed OTEL_* variable, before anything is started. */
export async function startTelemetry(env: NodeJS.ProcessEnv): Promise<StackTelemetry> {
  const config = telemetryConfigFromEnv(env);
  if (!config) return NO_TELEMETRY;
  const { startOtelTelemetry } = await import("./otel.js");
  return startOtelTelemetry(config);
}

export { TelemetryConfigError } from "./config.js";
export type { StackTelemetry, SpanAttributes, SpanHandle } from "./types.js";
