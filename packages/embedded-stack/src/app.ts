/**
 * Assembles the stack: run config, SQLite under the data dir, providers, registries, the inference
 * router, and every API's routes on one Fastify instance.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import Fastify, { type FastifyInstance } from "fastify";
import { registerBatchesRoutes } from "./apis/batches/routes.js";
import { BenchmarkRegistry } from "./apis/benchmarks/registry.js";
import { benchmarksRoutes } from "./apis/benchmarks/routes.js";
import { registerConversationsRoutes } from "./apis/conversations/routes.js";
import { registerDatasetsRoutes } from "./apis/datasets/routes.js";
import { DatasetsService } from "./apis/datasets/service.js";
import { evalRoutes } from "./apis/eval/routes.js";
import { registerFilesRoutes } from "./apis/files/routes.js";
import { inferenceRoutes } from "./apis/inference/routes.js";
import { StackInferenceRouter } from "./apis/inference/router.js";
import { InferenceStore } from "./apis/inference/store.js";
import { apiOfPath, inspectRoutes, type ServedRoute } from "./apis/inspect/routes.js";
import { SqliteModelRegistry } from "./apis/models/registry.js";
import { modelsRoutes } from "./apis/models/routes.js";
import { registerPromptsRoutes } from "./apis/prompts/routes.js";
import { providersRoutes } from "./apis/providers/routes.js";
import { responsesRoutes } from "./apis/responses/routes.js";
import { safetyRoutes } from "./apis/safety/routes.js";
import { registerScoringRoutes } from "./apis/scoring/routes.js";
import { ScoringService } from "./apis/scoring/service.js";
import { ShieldRegistry } from "./apis/shields/registry.js";
import { shieldsRoutes } from "./apis/shields/routes.js";
import { ToolGroupRegistry } from "./apis/tool_runtime/registry.js";
import { toolRuntimeRoutes } from "./apis/tool_runtime/routes.js";
import { registerVectorIoRoutes } from "./apis/vector_io/routes.js";
import { loadRunConfig } from "./config/load.js";
import { createIdMinter } from "./context/ids.js";
import { currentTestId } from "./context/request-context.js";
import { buildInferenceProviders } from "./providers/inference-providers.js";
import { installJsonParser } from "./server/body-parser.js";
import { clientErrorHandler, frameworkErrors } from "./server/client-errors.js";
import { installErrorHandling } from "./server/error-handler.js";
import { trackInFlight } from "./server/in-flight.js";
import type { StackRouteConfig } from "./server/route.js";
import type { RouteModule, StackContext } from "./server/types.js";
import { startTelemetry } from "./telemetry/index.js";

export interface BuildAppOptions {
  dataDir: string;
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
}

export interface StackApp {
  app: FastifyInstance;
  ctx: StackContext;
  /** Closes the server and the database. */
  close(): Promise<void>;
}

export async function buildApp(opts: BuildAppOptions): Promise<StackApp> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((message: string) => process.stderr.write(`embedded-stack: ${message}\n`));
  const config = loadRunConfig(opts.configPath, env);

  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set; started before the server listens.
  const telemetry = await startTelemetry(env);
  // Config errors surface before anything else is opened.
  let inferenceProviders: ReturnType<typeof buildInferenceProviders>;
  try {
    inferenceProviders = buildInferenceProviders(config.providers.inference ?? [], telemetry);
  } catch (err) {
    await telemetry.shutdown();
    throw err;
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const db = new Database(join(opts.dataDir, "stack.sqlite"));
  db.pragma("journal_mode = WAL");
  // No fsync at all: the data is a test run's (the harness removes the dir with the stack), so nothing
  // needs to survive a power loss, and a commit is only a WAL append (see FLUSH_MS in the inference store).
  db.pragma("synchronous = OFF");

  const models = new SqliteModelRegistry(db, inferenceProviders, log);
  models.start(config.registered_resources.models);
  const store = new InferenceStore(db);
  const safetyProviders = config.providers.safety ?? [];
  const shields = new ShieldRegistry(db, safetyProviders.map((p) => p.provider_id));
  shields.start(config.registered_resources.shields);
  const toolGroups = new ToolGroupRegistry(db, config.providers.tool_runtime ?? []);
  toolGroups.start(config.registered_resources.tool_groups ?? []);
  const benchmarks = new BenchmarkRegistry(db, (config.providers.eval ?? []).map((p) => p.provider_id));

  const inference = new StackInferenceRouter(inferenceProviders, models, store, telemetry);
  const datasets = new DatasetsService(db, config.providers.datasetio ?? []);
  const scoring = new ScoringService({ db, providers: config.providers.scoring ?? [], inference, datasets });
  const ctx: StackContext = {
    db,
    dataDir: opts.dataDir,
    config,
    inference,
    models,
    mintId: createIdMinter(),
    testId: currentTestId,
    datasets,
    scoring,
    telemetry,
  };

  const app = Fastify({ logger: false, bodyLimit: 100 * 1024 * 1024, forceCloseConnections: true, frameworkErrors, clientErrorHandler });
  telemetry.instrumentServer(app);
  const inFlight = trackInFlight(app);

  installJsonParser(app);
  const served: ServedRoute[] = [];
  installErrorHandling(app, log, () => served.map((r) => r.config.upstreamPath));

  app.addHook("onRoute", (options) => {
    const routeConfig = options.config as StackRouteConfig | undefined;
    if (!routeConfig?.upstreamPath) return;
    routeConfig.api = apiOfPath(routeConfig.upstreamPath);
    const methods = Array.isArray(options.method) ? options.method : [options.method];
    for (const method of methods) if (method !== "HEAD") served.push({ method: String(method), config: routeConfig });
  });

  const modules: RouteModule[] = [
    inspectRoutes(config, () => served),
    providersRoutes(config),
    modelsRoutes(models),
    inferenceRoutes(store, inference),
    shieldsRoutes(shields),
    safetyRoutes({ shields, providers: safetyProviders, defaultShieldId: config.safety?.default_shield_id }),
    toolRuntimeRoutes(toolGroups, telemetry),
    registerFilesRoutes,
    registerVectorIoRoutes,
    registerBatchesRoutes,
    registerConversationsRoutes,
    registerPromptsRoutes,
    responsesRoutes({ shields, safetyProviders, toolGroups }),
    registerDatasetsRoutes,
    registerScoringRoutes,
    benchmarksRoutes(benchmarks),
    evalRoutes(benchmarks),
  ];
  try {
    for (const register of modules) await register(app, ctx);
    // Plugins registered by modules (e.g. scoped multipart) add their routes when the app loads.
    await app.ready();
  } catch (err) {
    await app.close().catch(() => undefined);
    db.close();
    await telemetry.shutdown();
    throw err;
  }

  return {
    app,
    ctx,
    async close() {
      // Outbound calls still running (a handler whose client is cut off, a background batch) end with
      // the server rather than hold the close until a provider, an MCP server or a URL answers.
      inFlight.endOutboundCalls();
      const providersClosed = Promise.all([...inferenceProviders.values()].map((p) => p.client.close()));
      await app.close();
      await providersClosed;
      // Their handlers fail at once now and may still write; the bound is for a handler stuck elsewhere.
      await inFlight.idle(5_000);
      store.flush();
      db.close();
      await telemetry.shutdown();
    },
  };
}
