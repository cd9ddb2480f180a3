import type { ModelOptions } from "../options.js";
import type { ProviderRoute } from "./modules.js";

/** Env variable through which a stack reads each provider's base URL. */
export const PROVIDER_URL_ENV: Readonly<Record<string, string>> = {
  "llama-cpp": "LLAMA_CPP_URL",
  ollama: "OLLAMA_URL",
  vllm: "VLLM_URL",
  tgi: "TGI_URL",
  openai: "OPENAI_BASE_URL",
};

const OPENAI_DEFAULT_URL = "https://api.openai.com/v1";
/**
 * Key given to the stack when OpenAI is replayed without one: the stack needs some key to enable the
 * provider, and replay never forwards it. Only ever in the stack process's env.
 */
export const REPLAY_PLACEHOLDER_KEY = "replay-placeholder-key";

export interface ProxyPlan {
  routes: ProviderRoute[];
  /** Provider URL env for the stack process, pointing at the proxy. */
  stackEnv: (proxyUrl: string) => Record<string, string>;
}

/**
 * Routes the proxy serves: one per provider whose URL env is set (OpenAI also when its key is).
 * A provider URL `<origin><path>` becomes target `<origin>` and stack env `{proxy}/<name><path>`,
 * so the path the stack sends after the route name is the path the provider receives. An
 * override (the model server) replaces only the target's origin.
 */
export function planProxy(
  defaults: Record<string, ProviderRoute>,
  env: NodeJS.ProcessEnv,
  forwarding: boolean,
  targetOverrides: Record<string, string> = {},
  /** Providers the run's models name; in replay OpenAI is routed for them even without env. */
  modelProviders: readonly string[] = [],
): ProxyPlan {
  const routes: ProviderRoute[] = [];
  const paths: Record<string, string> = {};
  const extraEnv: Record<string, string> = {};
  for (const [name, envVar] of Object.entries(PROVIDER_URL_ENV)) {
    const base = defaults[name];
    if (!base) continue;
    let url = env[envVar];
    if (!url && name === "openai" && env.OPENAI_API_KEY) url = OPENAI_DEFAULT_URL;
    if (!url && name === "openai" && !forwarding && modelProviders.includes("openai")) {
      url = OPENAI_DEFAULT_URL;
      if (!env.OPENAI_API_KEY) extraEnv.OPENAI_API_KEY = REPLAY_PLACEHOLDER_KEY;
    }
    if (!url) continue;
    const route: ProviderRoute = { ...base, name };
    if (forwarding) route.target = new URL(targetOverrides[name] ?? url).origin;
    else delete route.target;
    paths[name] = new URL(url).pathname.replace(/\/+$/, "");
    routes.push(route);
  }
  return {
    routes,
    stackEnv: (proxyUrl) => ({
      ...extraEnv,
      ...Object.fromEntries(routes.map((r) => [PROVIDER_URL_ENV[r.name]!, `${proxyUrl.replace(/\/+$/, "")}/${r.name}${paths[r.name]}`])),
    }),
  };
}

/** Env through which the embedded stack's web search replays recorded tool calls. */
export const TOOL_REPLAY_URL_ENV = "LLAMA_STACK_TOOL_REPLAY_URL";

/**
 * Web search through the proxy's tool route: always in replay, and otherwise unless a Tavily key
 * lets the stack search for real (tool calls are replay-only on the proxy).
 */
export function toolReplayEnv(proxyUrl: string, env: NodeJS.ProcessEnv, forwarding: boolean): Record<string, string> {
  if (forwarding && env.TAVILY_SEARCH_API_KEY) return {};
  return { [TOOL_REPLAY_URL_ENV]: `${proxyUrl.replace(/\/+$/, "")}/__tools` };
}

/** Provider ids (`provider/model` prefixes) of every model a run uses. */
export function modelProviders(models: ModelOptions): string[] {
  const ids = [...models.text, ...models.vision, ...models.embedding, ...models.shield, ...models.judge, ...models.rerank];
  return [...new Set(ids.filter((id) => id.includes("/")).map((id) => id.slice(0, id.indexOf("/"))))];
}
