import { SETUPS } from "@llama-stack-tests/setups";
import { OPTION_ENV } from "../env-names.js";
import { readOptions, type RunOptions } from "../options.js";
import { DEFAULT_TARGET } from "../server-targets.js";
import { parseStackConfig } from "../stack-config.js";
import { freePort } from "./ports.js";
import { applyRunEnv, startStack } from "./start.js";
import { OTLP_ENDPOINT_ENV, telemetryEnv } from "./telemetry-env.js";
import type { RunningStack } from "./types.js";

/** The setup telemetry tests run on, whatever the suite's: the project's model server, offline. */
export const TELEMETRY_SETUP = "embedded";

export type StackKind = "embedded" | "server";

export interface InstrumentedStack extends RunningStack {
  kind: StackKind;
  /** The options the stack was started with (setup embedded, live mode). */
  options: RunOptions;
}

export interface InstrumentedStackOptions {
  /** The suite run's options (the worker's injected ones): which stack kind to start, the repo root. */
  run: Pick<RunOptions, "stackConfig" | "rootDir"> & Partial<Pick<RunOptions, "target">>;
  /** OTLP/HTTP collector base URL; null starts the same stack with telemetry off (for comparisons). */
  otlpEndpoint: string | null;
  serviceName?: string;
}

/** Why a run's stack cannot be instrumented, or undefined when it can. */
export function instrumentationUnavailable(run: Pick<RunOptions, "stackConfig"> & Partial<Pick<RunOptions, "target">>): string | undefined {
  const target = parseStackConfig(run.stackConfig, {});
  if (target.kind === "server" && run.target && run.target !== DEFAULT_TARGET) {
    return `the OpenTelemetry instrumentation is installed only in ${DEFAULT_TARGET}'s venv (stacks/llama-stack-0.4.0.requirements.txt); telemetry of ${run.target} is not tested yet`;
  }
  if (target.kind === "url") {
    return `--stack-config=${run.stackConfig} is a stack this harness did not start, so it cannot start it with ${OTLP_ENDPOINT_ENV} at its collector; use --stack-config=embedded or server:<config>`;
  }
  return undefined;
}

/** Every variable some setup sets: a run's setup must not leak its providers into the telemetry stack. */
function setupEnvKeys(): Set<string> {
  return new Set(Object.values(SETUPS).flatMap((setup) => Object.keys(setup.env)));
}

/**
 * A second stack of the run's kind (embedded, or the real server on a free port) for telemetry tests:
 * live mode against the project's model server, exporting to `otlpEndpoint`. Never replay: the Python
 * recorder replaces the very OpenAI calls the instrumentation traces, and a recording span makes 0.4.0
 * add stream_options.include_usage to provider requests, which changes their hashes.
 */
export async function startInstrumentedStack(opts: InstrumentedStackOptions): Promise<InstrumentedStack> {
  const unavailable = instrumentationUnavailable(opts.run);
  if (unavailable) throw new Error(unavailable);
  const target = parseStackConfig(opts.run.stackConfig, {});
  const kind: StackKind = target.kind === "server" ? "server" : "embedded";

  const leaked = setupEnvKeys();
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("LLAMA_STACK_TEST_") && !leaked.has(key)) env[key] = value;
  }
  let stackConfig = "embedded";
  if (target.kind === "server") {
    const port = await freePort();
    // distro::file takes its port from LLAMA_STACK_PORT; server:<config> from the suffix.
    if (target.config.includes("::")) {
      env.LLAMA_STACK_PORT = String(port);
      stackConfig = `server:${target.config}`;
    } else {
      stackConfig = `server:${target.config}:${port}`;
    }
  }
  env[OPTION_ENV.setup] = TELEMETRY_SETUP;
  env[OPTION_ENV.inferenceMode] = "live";
  env[OPTION_ENV.stackConfig] = stackConfig;
  if (opts.otlpEndpoint === null) {
    for (const key of Object.keys(env)) if (key.startsWith("OTEL_")) delete env[key];
  } else {
    Object.assign(env, telemetryEnv({
      endpoint: opts.otlpEndpoint,
      serviceName: opts.serviceName ?? (kind === "server" ? "llama-stack" : "embedded-stack"),
      sdk: kind === "server" ? "python" : "node",
    }));
  }

  const options = readOptions(env, opts.run.rootDir);
  const supplied = applyRunEnv(options, env);
  const stack = await startStack(options, supplied, env);
  return { ...stack, kind, options };
}
