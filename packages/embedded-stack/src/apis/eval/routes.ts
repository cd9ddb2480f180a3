/** Eval API: evaluate rows, run a benchmark as a job, job status/result/cancel (upstream's v1alpha routes). */
import { route } from "../../server/route.js";
import type { RouteModule } from "../../server/types.js";
import { parseBody } from "../../server/validation.js";
import type { BenchmarkRegistry } from "../benchmarks/registry.js";
import { evaluateRowsRequest, runEvalRequest } from "./schemas.js";
import { EvalService } from "./service.js";

export function evalRoutes(benchmarks: BenchmarkRegistry): RouteModule {
  return (app, ctx) => {
    const evals = new EvalService({ benchmarks, inference: ctx.inference, datasets: ctx.datasets, scoring: ctx.scoring });
    const base = "/v1alpha/eval/benchmarks/{benchmark_id}";
    route(app, "POST", `${base}/evaluations`, (req, _reply, p) => {
      const body = parseBody(evaluateRowsRequest, req.body);
      return evals.evaluateRows(p.benchmark_id ?? "", body.input_rows, body.scoring_functions, body.benchmark_config);
    });
    route(app, "POST", `${base}/jobs`, (req, _reply, p) =>
      evals.runEval(p.benchmark_id ?? "", parseBody(runEvalRequest, req.body).benchmark_config),
    );
    route(app, "GET", `${base}/jobs/{job_id}`, (_req, _reply, p) => evals.status(p.benchmark_id ?? "", p.job_id ?? ""));
    route(app, "DELETE", `${base}/jobs/{job_id}`, (_req, _reply, p) => evals.cancel(p.benchmark_id ?? "", p.job_id ?? ""));
    route(app, "GET", `${base}/jobs/{job_id}/result`, (_req, _reply, p) => evals.result(p.benchmark_id ?? "", p.job_id ?? ""));
  };
}
