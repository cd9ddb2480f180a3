/**
 * Inspect API: health, version, and the routes this server really serves, read from Fastify's route
 * table (each route's API is tagged by the assembler) with the provider types of that API.
 */
import { z } from "zod";
import type { RunConfig } from "../../config/types.js";
import { route, type StackRouteConfig } from "../../server/route.js";
import type { RouteModule } from "../../server/types.js";
import { parseQuery } from "../../server/validation.js";

export const STACK_VERSION = "0.4.0";

export interface ServedRoute {
  method: string;
  config: StackRouteConfig;
}

/** Routing-table APIs list the providers of the API they route to. */
const PROVIDER_API: Record<string, string> = {
  models: "inference", shields: "safety", tool_groups: "tool_runtime", benchmarks: "eval", datasets: "datasetio", scoring_functions: "scoring",
};
const INTERNAL_APIS = new Set(["inspect", "providers"]);

/** API of a route, by path prefix (upstream groups routes by API the same way). */
const API_PREFIXES: [string, string][] = [
  ["/v1/health", "inspect"], ["/v1/version", "inspect"], ["/v1/inspect/", "inspect"],
  ["/v1/providers", "providers"], ["/v1/models", "models"],
  ["/v1/chat/", "inference"], ["/v1/completions", "inference"], ["/v1/embeddings", "inference"], ["/v1alpha/inference/", "inference"],
  ["/v1/shields", "shields"], ["/v1/safety/", "safety"], ["/v1/moderations", "safety"],
  ["/v1/files", "files"], ["/v1/vector_stores", "vector_io"], ["/v1/vector-io/", "vector_io"],
  ["/v1/batches", "batches"], ["/v1/conversations", "conversations"], ["/v1/prompts", "prompts"], ["/v1/responses", "agents"],
  ["/v1/tool-runtime/", "tool_runtime"], ["/v1/toolgroups", "tool_groups"], ["/v1/tools", "tool_groups"],
  ["/v1beta/datasets", "datasets"], ["/v1beta/datasetio/", "datasetio"],
  ["/v1/scoring-functions", "scoring_functions"], ["/v1/scoring/", "scoring"],
  // Eval's routes sit under a benchmark's path; the first match wins, so they come before benchmarks'.
  ["/v1alpha/eval/benchmarks/{benchmark_id}/", "eval"], ["/v1alpha/eval/benchmarks", "benchmarks"],
];

export function apiOfPath(path: string): string {
  return API_PREFIXES.find(([prefix]) => path.startsWith(prefix))?.[1] ?? "";
}

const listRoutesQuery = z.object({ api_filter: z.enum(["v1", "v1alpha", "v1beta", "deprecated"]).optional() });

export function inspectRoutes(config: RunConfig, served: () => ServedRoute[]): RouteModule {
  return (app) => {
    route(app, "GET", "/v1/health", () => ({ status: "OK" }));
    route(app, "GET", "/v1/version", () => ({ version: STACK_VERSION }));
    route(app, "GET", "/v1/inspect/routes", (req) => {
      const { api_filter: filter } = parseQuery(listRoutesQuery, req.query);
      const data = served()
        .filter(({ config: c }) => {
          if (filter === undefined) return !c.deprecated;
          if (filter === "deprecated") return c.deprecated;
          return !c.deprecated && c.upstreamPath.startsWith(`/${filter}/`);
        })
        .map(({ method, config: c }) => {
          const api = c.api ?? "";
          const providers = INTERNAL_APIS.has(api) ? [] : (config.providers[PROVIDER_API[api] ?? api] ?? []);
          return { route: c.upstreamPath, method, provider_types: providers.map((p) => p.provider_type) };
        });
      return { data };
    });
  };
}
