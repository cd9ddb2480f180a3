/**
 * The contract every API module codes against: the shared stack context and the shape of a route module.
 * Route modules live in src/apis/<api>/routes.ts and are registered by the app assembler, which has
 * already installed the JSON body parser (upstream's 400 on bad JSON) and the error envelope.
 * Register routes with `route()` from ./route.js so path
 * parameters, the request context, 204-on-DELETE and /v1/inspect/routes work.
 */
import type { Database } from "better-sqlite3";
import type { FastifyInstance } from "fastify";
import type { DatasetsService } from "../apis/datasets/service.js";
import type { ScoringService } from "../apis/scoring/service.js";
import type { ModelType, RunConfig } from "../config/types.js";
import type { StackTelemetry } from "../telemetry/types.js";

export type { RunConfig } from "../config/types.js";

/** A registered model, as upstream's routing table keeps it. */
export interface RegisteredModel {
  /** Public id, `provider_id/provider_model_id` for discovered models. */
  identifier: string;
  provider_id: string;
  provider_resource_id: string;
  model_type: ModelType;
  metadata: Record<string, unknown>;
  /** Upstream's RegistryEntrySource: run-config and API registrations survive a provider refresh. */
  source: "via_register_api" | "listed_from_provider";
}

export interface ModelRegistry {
  /** Throws NotFoundError (404, upstream's message) when no model has this id. */
  get(id: string): Promise<RegisteredModel>;
  /** Undefined instead of throwing. */
  find(id: string): Promise<RegisteredModel | undefined>;
  list(): Promise<RegisteredModel[]>;
}

/** OpenAI-shaped JSON objects; the stack passes provider responses through without reshaping. */
export type JsonObject = Record<string, unknown>;

export interface InferenceRouter {
  /** Returns the completion object, or an async iterable of chunks when `body.stream` is true. */
  chatCompletion(body: JsonObject): Promise<JsonObject | AsyncIterable<JsonObject>>;
  completion(body: JsonObject): Promise<JsonObject | AsyncIterable<JsonObject>>;
  embeddings(body: JsonObject): Promise<JsonObject>;
}

export interface StackContext {
  /** better-sqlite3 handle on the one database file under dataDir. */
  db: Database;
  dataDir: string;
  config: RunConfig;
  inference: InferenceRouter;
  models: ModelRegistry;
  /** Deterministic per test id when a test id is in the request context, else `fallback()`. */
  mintId: (kind: string, fallback: () => string) => string;
  /** `__test_id` of the current request (X-LlamaStack-Provider-Data), or null. */
  testId(): string | null;
  /** Datasets routing table and the localfs DatasetIO provider (rows of a registered dataset). */
  datasets: DatasetsService;
  /** Scoring router over the scoring providers, with the scoring functions registry. */
  scoring: ScoringService;
  /** Spans and metrics; a no-op unless OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  telemetry: StackTelemetry;
}

export type RouteModule = (app: FastifyInstance, ctx: StackContext) => void | Promise<void>;
