/** Routes listed by GET /v1/inspect/routes, fetched once per worker and stack. */
const cache = new Map<string, Promise<Set<string>>>();

function key(method: string, route: string): string {
  return `${method.toUpperCase()} ${route}`;
}

async function loadRoutes(baseUrl: string, headers: Record<string, string>): Promise<Set<string>> {
  const res = await fetch(`${baseUrl}/v1/inspect/routes`, { headers });
  if (!res.ok) throw new Error(`GET ${baseUrl}/v1/inspect/routes answered ${res.status}: cannot tell which routes the stack serves`);
  const body = (await res.json()) as { data?: { route?: string; method?: string; methods?: string[] }[] };
  const routes = new Set<string>();
  for (const r of body.data ?? []) {
    if (!r.route) continue;
    for (const m of r.methods ?? (r.method ? [r.method] : [])) routes.add(key(m, r.route));
  }
  return routes;
}

/**
 * A GET route without path parameters that the listing leaves out is probed: Llama Stack 0.4.0 serves
 * routing-table routes (e.g. GET /v1/scoring-functions) that its /v1/inspect/routes does not list.
 * Only such GETs are probed, as they change nothing; 404 and 405 mean not served.
 */
async function probeGet(baseUrl: string, route: string, headers: Record<string, string>): Promise<boolean> {
  const res = await fetch(`${baseUrl}${route}`, { headers });
  await res.body?.cancel();
  return res.status !== 404 && res.status !== 405;
}

function listedRoutes(baseUrl: string, headers: Record<string, string>): Promise<Set<string>> {
  let routes = cache.get(baseUrl);
  if (!routes) {
    routes = loadRoutes(baseUrl, headers);
    routes.catch(() => cache.delete(baseUrl));
    cache.set(baseUrl, routes);
  }
  return routes;
}

export async function stackHasRoute(baseUrl: string, method: string, route: string, headers: Record<string, string>): Promise<boolean> {
  if ((await listedRoutes(baseUrl, headers)).has(key(method, route))) return true;
  return method.toUpperCase() === "GET" && !route.includes("{") ? probeGet(baseUrl, route, headers) : false;
}

/** The API a route belongs to, as its first two path segments: /v1alpha/post-training, /v1/responses. */
export function apiPrefixOf(route: string): string {
  return `/${route.split("/").filter(Boolean).slice(0, 2).join("/")}`;
}

/** Whether the stack lists any route of the API `route` belongs to: a stack that lists none does not configure it. */
export async function stackServesApiOf(baseUrl: string, route: string, headers: Record<string, string>): Promise<boolean> {
  const prefix = apiPrefixOf(route);
  for (const k of await listedRoutes(baseUrl, headers)) {
    const path = k.slice(k.indexOf(" ") + 1);
    if (path === prefix || path.startsWith(`${prefix}/`)) return true;
  }
  return false;
}
