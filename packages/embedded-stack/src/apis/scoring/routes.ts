/** ScoringFunctions API (list, get, deprecated register/unregister) and Scoring API (score, score-batch). */
import { parseBody } from "../../server/validation.js";
import { route } from "../../server/route.js";
import type { RouteModule } from "../../server/types.js";
import { registerScoringFnBody, scoreBatchBody, scoreBody } from "./schemas.js";

export const registerScoringRoutes: RouteModule = (app, ctx) => {
  const { scoring } = ctx;
  const fnId = (p: Record<string, string>) => p.scoring_fn_id ?? "";

  // Items are serialized as the declared ScoringFn model upstream, so without `owner` and `source`.
  route(app, "GET", "/v1/scoring-functions", () => ({ data: scoring.functions.list().map(({ owner: _o, source: _s, ...fn }) => fn) }));
  route(app, "GET", "/v1/scoring-functions/{scoring_fn_id:path}", (_req, _reply, p) => scoring.functions.get(fnId(p)));
  route(app, "POST", "/v1/scoring-functions", (req) => {
    scoring.functions.register(parseBody(registerScoringFnBody, req.body));
    return null;
  }, { deprecated: true });
  route(app, "DELETE", "/v1/scoring-functions/{scoring_fn_id:path}", (_req, _reply, p) => {
    scoring.functions.unregister(fnId(p));
  }, { deprecated: true });

  route(app, "POST", "/v1/scoring/score", (req) => {
    const body = parseBody(scoreBody, req.body);
    return scoring.score(body.input_rows, body.scoring_functions);
  });
  route(app, "POST", "/v1/scoring/score-batch", (req) => {
    const body = parseBody(scoreBatchBody, req.body);
    return scoring.scoreBatch(body.dataset_id, body.scoring_functions, body.save_results_dataset);
  });
};
