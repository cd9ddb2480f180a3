// Process lifecycle for stacks and other servers: subpath @llama-stack-tests/stack/lifecycle.
export { startManagedProcess, type ManagedProcess, type ManagedProcessOptions } from "./process-group.js";
export { TEMP_DIR_TOKEN } from "./supervisor.js";
export { startServer, type ServerStartOptions } from "./server.js";
export { startEmbedded, embeddedStackCli } from "./embedded.js";
export { startStack, applyRunEnv } from "./start.js";
export { isHealthy } from "./health.js";
export { freePort, isPortFree, onFreePort } from "./ports.js";
export { logsDir, tailFile } from "./log.js";
export type { RunningStack } from "./types.js";
export { parseServerTarget, SERVER_TARGETS, DEFAULT_TARGET, type ServerTarget } from "../server-targets.js";
export { startInstrumentedStack, instrumentationUnavailable, TELEMETRY_SETUP, type InstrumentedStack, type StackKind } from "./instrumented-stack.js";
export { telemetryEnv, OTLP_ENDPOINT_ENV, type TelemetryEnvOptions } from "./telemetry-env.js";
