/** Provider routes of the recording proxy: {proxy}/{name}/<rest>. */
export interface ProviderRoute {
  /** First path segment on the proxy: requests to {proxy}/{name}/<rest> belong to this provider. */
  name: string;
  /** Real provider base URL; <rest> is appended. Required in live/record/record-if-missing. */
  target?: string;
  /** Base URL Llama Stack's Python client would have used; <rest> appended gives request.url,
   *  its path gives the hashed endpoint (ollama: http://0.0.0.0:11434/v1 + /v1/chat/completions). */
  recordedBase: string;
  /** Base for <rest> outside /v1, the provider's native API, when its client saw another base
   *  (ollama: /api/ps was recorded at http://localhost:11434). Without it recordedBase serves every path. */
  nativeBase?: string;
  /** Paths forwarded in every mode and never hashed, recorded or replayed: upstream sends them with a
   *  plain HTTP client its recorder does not patch (vLLM's /health), so no recording can exist. */
  unrecordedPaths?: readonly string[];
}

/**
 * Bases as they appear in upstream recordings: the OpenAI client's base_url (which already ends
 * in /v1) followed by the recorder's endpoint (which starts with /v1 again).
 */
export const DEFAULT_PROVIDER_ROUTES: Record<string, ProviderRoute> = {
  ollama: { name: "ollama", target: "http://localhost:11434", recordedBase: "http://0.0.0.0:11434/v1", nativeBase: "http://localhost:11434" },
  /** Ollama's native API (/api/ps, /api/tags) was called at its host without /v1. */
  "ollama-native": { name: "ollama-native", target: "http://localhost:11434", recordedBase: "http://localhost:11434" },
  vllm: { name: "vllm", target: "http://localhost:8000", recordedBase: "http://localhost:8000/v1", unrecordedPaths: ["/health"] },
  openai: { name: "openai", target: "https://api.openai.com", recordedBase: "https://api.openai.com/v1" },
  "llama-cpp": { name: "llama-cpp", recordedBase: "http://127.0.0.1:8080/v1" },
};

/** How the proxy treats <rest> on a route: hashed and recorded at a URL, or passed through unrecorded. */
export type RoutedPath = { recorded: true; url: string } | { recorded: false };

/** request.url for <rest> (query included) on this route, or unrecorded for the route's passthrough paths. */
export function routePath(route: ProviderRoute, rest: string, query = ""): RoutedPath {
  if (route.unrecordedPaths?.includes(rest)) return { recorded: false };
  const native = route.nativeBase !== undefined && rest !== "/v1" && !rest.startsWith("/v1/");
  const base = native ? route.nativeBase! : route.recordedBase;
  return { recorded: true, url: base.replace(/\/+$/, "") + rest + query };
}

export class RouteConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RouteConfigError";
  }
}

/** Parses the CLI form `name=target[,recordedBase]`; recordedBase defaults to the known route's. */
export function parseRouteSpec(spec: string): ProviderRoute {
  const eq = spec.indexOf("=");
  if (eq <= 0) throw new RouteConfigError(`Invalid route "${spec}": expected name=target[,recordedBase], e.g. llama-cpp=http://127.0.0.1:8080`);
  const name = spec.slice(0, eq);
  const [target, recordedBase] = spec.slice(eq + 1).split(",");
  const known = DEFAULT_PROVIDER_ROUTES[name];
  const base = recordedBase || known?.recordedBase;
  if (!base) throw new RouteConfigError(`Route "${name}" has no default recordedBase: pass name=target,recordedBase`);
  // A known route keeps its path rules (nativeBase, unrecordedPaths); the spec sets target and recordedBase.
  const route: ProviderRoute = { ...known, name, recordedBase: base };
  if (target) route.target = target;
  else delete route.target;
  return route;
}
