/** Benchmarks API: list, get, deprecated register/unregister (upstream's v1alpha routes under /eval). */
import { z } from "zod";
import { route } from "../../server/route.js";
import type { RouteModule } from "../../server/types.js";
import { parseBody } from "../../server/validation.js";
import { type BenchmarkRegistry, listedBenchmark } from "./registry.js";

const registerBenchmarkRequest = z.object({
  benchmark_id: z.string(),
  dataset_id: z.string(),
  scoring_functions: z.array(z.string()),
  provider_benchmark_id: z.string().nullish(),
  provider_id: z.string().nullish(),
  metadata: z.record(z.unknown()).nullish(),
});

export function benchmarksRoutes(benchmarks: BenchmarkRegistry): RouteModule {
  return (app) => {
    route(app, "GET", "/v1alpha/eval/benchmarks", () => ({ data: benchmarks.list().map(listedBenchmark) }));
    route(app, "GET", "/v1alpha/eval/benchmarks/{benchmark_id}", (_req, _reply, params) => benchmarks.get(params.benchmark_id ?? ""));
    // Upstream's register returns None, which its server sends as a JSON null.
    route(app, "POST", "/v1alpha/eval/benchmarks", (req) => {
      benchmarks.register(parseBody(registerBenchmarkRequest, req.body));
      return null;
    }, { deprecated: true });
    route(app, "DELETE", "/v1alpha/eval/benchmarks/{benchmark_id}", (_req, _reply, params) => {
      benchmarks.unregister(params.benchmark_id ?? "");
    }, { deprecated: true });
  };
}
