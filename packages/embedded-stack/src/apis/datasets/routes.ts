/** Datasets API (list, get, deprecated register/unregister) and DatasetIO API (iterrows, append-rows). */
import { parseBody, parseQuery } from "../../server/validation.js";
import { route } from "../../server/route.js";
import type { RouteModule } from "../../server/types.js";
import { appendRowsBody, iterrowsQuery, registerDatasetBody } from "./schemas.js";

export const registerDatasetsRoutes: RouteModule = (app, ctx) => {
  const { datasets } = ctx;
  const id = (p: Record<string, string>) => p.dataset_id ?? "";

  route(app, "GET", "/v1beta/datasets", () => datasets.list());
  route(app, "GET", "/v1beta/datasets/{dataset_id:path}", (_req, _reply, p) => datasets.get(id(p)));
  route(app, "POST", "/v1beta/datasets", (req) => datasets.register(parseBody(registerDatasetBody, req.body)), { deprecated: true });
  route(app, "DELETE", "/v1beta/datasets/{dataset_id:path}", (_req, _reply, p) => {
    datasets.unregister(id(p));
  }, { deprecated: true });

  const iterrowsPath = "/v1beta/datasetio/iterrows/{dataset_id:path}";
  route(app, "GET", iterrowsPath, async (req, _reply, p) => {
    const { start_index, limit } = parseQuery(iterrowsQuery, req.query);
    // Upstream's server fills a paginated response's missing url with the route's own path.
    return { ...(await datasets.iterrows(id(p), start_index, limit)), url: iterrowsPath };
  });
  route(app, "POST", "/v1beta/datasetio/append-rows/{dataset_id:path}", async (req, _reply, p) => {
    await datasets.appendRows(id(p), parseBody(appendRowsBody, req.body).rows);
    return null;
  });
};
