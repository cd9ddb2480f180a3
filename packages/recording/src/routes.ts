/** Provider routes of the recording proxy: {proxy}/{name}/<rest>. */
export interface ProviderRoute {
  /** First path segment on the proxy: requests to {proxy}/{name}/<rest> belong to this provider. */
  name: string;
  /** Real provider base URL; <rest> is appended. Required in live/record/record-if-missing. */
  target?: string;
  /** Base URL Llama Stack's Python client would have used; <rest> appended gives request.url,
   *  its path gives the hashed endpoint (ollama: http://0.0.0.0:11434/v1 + /v1/chat/completions). */
  recordedBase: string;
}

/**
 * Bases as they appear in upstream recordings: the OpenAI client's base_url (which already ends
 * in /v1) followed by the recorder's endpoint (which starts with /v1 again).
 */
export const DEFAULT_PROVIDER_ROUTES: Record<string, ProviderRoute> = {
  ollama: { name: "ollama", target: "http://localhost:11434", recordedBase: "http://0.0.0.0:11434/v1" },
  /** Ollama's native API (/api/ps, /api/tags) was called at its host without /v1. */
  "ollama-native": { name: "ollama-native", target: "http://localhost:11434", recordedBase: "http://localhost:11434" },
  vllm: { name: "vllm", target: "http://localhost:8000", recordedBase: "http://localhost:8000/v1" },
  openai: { name: "openai", target: "https://api.openai.com", recordedBase: "https://api.openai.com/v1" },
  "llama-cpp": { name: "llama-cpp", recordedBase: "http://127.0.0.1:8080/v1" },
};

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
  const base = recordedBase || DEFAULT_PROVIDER_ROUTES[name]?.recordedBase;
  if (!base) throw new RouteConfigError(`Route "${name}" has no default recordedBase: pass name=target,recordedBase`);
  return { name, ...(target ? { target } : {}), recordedBase: base };
}
