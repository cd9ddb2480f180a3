import { createHash } from "node:crypto";
import path from "node:path";
import { applySetupEnv, getSetup } from "@llama-stack-tests/setups";
import { apiPackageDirs } from "../cli-test-ids.js";
import { FORCE_RESTART_ENV } from "../env-names.js";
import { StackStartError } from "../errors.js";
import { reachesProvider } from "../inference-mode.js";
import type { RunOptions } from "../options.js";
import { parseServerTarget, serverVar } from "../server-targets.js";
import { parseStackConfig } from "../stack-config.js";
import { startEmbedded } from "./embedded.js";
import { isHealthy } from "./health.js";
import { acquireModelServer, loadRecording } from "./modules.js";
import { REPLAY_PLACEHOLDER_KEY, modelProviders, planProxy } from "./provider-routes.js";
import { pythonRecordingDir } from "./python-recording-dir.js";
import { startServer } from "./server.js";
import { withDefaultEmbeddingModel } from "./server-config.js";
import { SHARED_STACK_ENV, acquireSharedStack } from "./shared-stack.js";
import type { RunningStack } from "./types.js";

/**
 * Applies the run's env to `env` as upstream's pytest_configure does: --env entries always,
 * then the setup's env only where unset. Returns the keys the setup supplied.
 */
export function applyRunEnv(options: RunOptions, env: NodeJS.ProcessEnv = process.env): string[] {
  Object.assign(env, options.env);
  return applySetupEnv(getSetup(options.setupName), env);
}

/** reports/<api>/provider-traffic.ndjson: the proxy's per-request outcomes, read by the fidelity report. */
export function trafficLogPath(rootDir: string, api: string): string {
  return path.join(rootDir, "reports", api, "provider-traffic.ndjson");
}

/** Digest of what a started server depends on: a server is reused only by a run with the same one. */
export function serverReuseKey(options: RunOptions): string {
  const { stackConfig, setupName, inferenceMode, recorder, recordingsDir, models, env, target } = options;
  const json = JSON.stringify({ stackConfig, setupName, inferenceMode, recorder, recordingsDir, models, env, target });
  return createHash("sha256").update(json).digest("hex").slice(0, 16);
}

/** Starts (or reaches) the stack `options.stackConfig` names. Call after applyRunEnv. */
export async function startStack(
  options: RunOptions,
  setupSuppliedEnv: string[],
  env: NodeJS.ProcessEnv = process.env,
  /** Names the embedded stack's log file (one per API package, rewritten each run). */
  logName?: string,
): Promise<RunningStack> {
  const target = parseStackConfig(options.stackConfig, env);
  const traffic = logName ? { trafficLogPath: trafficLogPath(options.rootDir, logName) } : {};
  switch (target.kind) {
    case "url": {
      if (!(await isHealthy(target.baseUrl))) {
        throw new StackStartError(
          `No Llama Stack answers at ${target.baseUrl}/v1/health. Start it, or use --stack-config=embedded (or server:<config> to have it started).`,
        );
      }
      return { baseUrl: target.baseUrl, description: `the running stack at ${target.baseUrl}`, close: async () => {} };
    }
    case "embedded": {
      // A package of a suite run takes its stack from the run's pool (shared-stack.ts).
      const shared = env[SHARED_STACK_ENV];
      if (shared) {
        const name = logName ?? "stack";
        return acquireSharedStack(shared, name, serverReuseKey(options), trafficLogPath(options.rootDir, name));
      }
      return startEmbedded({
        options,
        env,
        useModelServer: options.setupName === "embedded" && setupSuppliedEnv.includes("LLAMA_CPP_URL"),
        ...(logName ? { logName } : {}),
        ...traffic,
      });
    }
    case "server": {
      // The server's own variables carry its product's prefix (LLAMA_STACK_* or, since the rename, OGX_*).
      const server = parseServerTarget(options.target);
      const v = (suffix: string) => serverVar(server, suffix);
      const serverEnv: NodeJS.ProcessEnv = {
        ...env,
        // Without it the server ignores the test id the clients send (upstream's scripts/integration-tests.sh).
        [v("TEST_STACK_CONFIG_TYPE")]: "server",
        // Our clients are newer than the server; its client-version check would refuse them.
        [v("DISABLE_VERSION_CHECK")]: "1",
      };
      let closeProviders = async () => {};
      if (options.recorder === "builtin") {
        // Llama Stack's own recorder, as upstream's harness drives it; its debug lines (hash, test id,
        // found or not) go to the record log, from which the harness reads hits and misses.
        serverEnv[v("TEST_INFERENCE_MODE")] = options.inferenceMode;
        serverEnv[v("TEST_RECORDING_DIR")] = pythonRecordingDir(
          options.rootDir,
          options.recordingsDir,
          // Upstream's tests/integration/<dir> names are the API packages' directory names.
          options.inferenceMode === "replay" || options.inferenceMode === "live" ? [] : apiPackageDirs(options.rootDir).map((d) => path.basename(d)),
        );
        serverEnv[v("TEST_DEBUG")] = "1";
        // The embedded setup's model server, served to the real server as a vLLM-type provider.
        if (reachesProvider(options.inferenceMode) && setupSuppliedEnv.includes("LLAMA_CPP_URL")) {
          const modelServer = await acquireModelServer();
          closeProviders = () => modelServer.release();
          serverEnv.LLAMA_CPP_URL = `${modelServer.url}/v1`;
        }
        // Replay never reaches OpenAI, but the provider is only enabled with some key.
        if (!reachesProvider(options.inferenceMode) && !serverEnv.OPENAI_API_KEY && modelProviders(options.models).includes("openai")) {
          serverEnv.OPENAI_API_KEY = REPLAY_PLACEHOLDER_KEY;
        }
      } else {
        // The server talks to real providers through the proxy, which records or replays.
        serverEnv[v("TEST_INFERENCE_MODE")] = "live";
        const recording = await loadRecording();
        const plan = planProxy(
          recording.DEFAULT_PROVIDER_ROUTES,
          env,
          reachesProvider(options.inferenceMode),
          {},
          modelProviders(options.models),
        );
        const proxy = await recording.startRecordingProxy({
          mode: options.inferenceMode,
          recordingsDir: options.recordingsDir,
          providers: plan.routes,
          host: "127.0.0.1",
          port: 0,
          ...traffic,
        });
        Object.assign(serverEnv, plan.stackEnv(proxy.url));
        closeProviders = () => proxy.close();
      }
      try {
        const started = await startServer({
          target: server,
          config: withDefaultEmbeddingModel(target.config, options.rootDir, options.models.embedding[0]),
          port: target.port,
          rootDir: options.rootDir,
          env: serverEnv,
          forceRestart: env[FORCE_RESTART_ENV] === "1",
          reuseKey: serverReuseKey(options),
        });
        return {
          ...started,
          close: async () => {
            await started.close();
            await closeProviders();
          },
        };
      } catch (e) {
        await closeProviders();
        throw e;
      }
    }
  }
}
