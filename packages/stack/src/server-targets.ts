/**
 * Server targets: which real server product and version a `server:` stack runs. Each has its own venv
 * (.venvs/<venv>, installed from stacks/<venv>.requirements.txt under stacks/<venv>.constraints.txt by
 * scripts/install-real-server.sh), its start command, header and variable names, the run config in its
 * format, and the routes it no longer serves. One table; everything else reads it.
 */
import { OptionsError } from "./errors.js";

export type ServerProduct = "llama-stack" | "ogx";

export interface ServerTarget {
  /** `product@version`, as --target takes it and the reports show it. */
  id: string;
  product: ServerProduct;
  version: string;
  /** Names under .venvs/ and stacks/ (requirements, constraints). */
  venv: string;
  /** `<cli> stack run <config> --port <port> ...runArgs`. */
  cli: "llama" | "ogx";
  /** ogx refuses to serve plain HTTP unless told so; the harness serves 127.0.0.1 only. */
  runArgs: readonly string[];
  /** Header carrying provider data and the test id. */
  providerDataHeader: string;
  /** Prefix of the server's own variables (<prefix>_TEST_INFERENCE_MODE, <prefix>_LOG_FILE, ...). */
  envPrefix: "LLAMA_STACK" | "OGX";
  /** The project's run config in this version's format. */
  runConfig: string;
  /** Hash rules of the server's own recorder (packages/recording's recorder versions). */
  recorder: string;
}

const LLAMA_STACK = { product: "llama-stack", cli: "llama", runArgs: [], providerDataHeader: "X-LlamaStack-Provider-Data", envPrefix: "LLAMA_STACK" } as const;

export const SERVER_TARGETS: readonly ServerTarget[] = [
  { ...LLAMA_STACK, id: "llama-stack@0.4.0", version: "0.4.0", venv: "llama-stack-0.4.0", runConfig: "stacks/run.yaml", recorder: "0.4" },
  { ...LLAMA_STACK, id: "llama-stack@0.7.3", version: "0.7.3", venv: "llama-stack-0.7.3", runConfig: "stacks/run-0.7.yaml", recorder: "0.7" },
  {
    id: "ogx@1.5.0", product: "ogx", version: "1.5.0", venv: "ogx-1.5.0", cli: "ogx", runArgs: ["--insecure"],
    providerDataHeader: "X-OGX-Provider-Data", envPrefix: "OGX", runConfig: "stacks/run-ogx.yaml", recorder: "0.8",
  },
];

export const DEFAULT_TARGET = "llama-stack@0.4.0";

/** Release lines a user may name instead of a release: the newest pinned release of the line. */
const LINES: Readonly<Record<string, string>> = {
  "llama-stack@0.4.x": "llama-stack@0.4.0",
  "llama-stack@0.7.x": "llama-stack@0.7.3",
  "ogx@1.x": "ogx@1.5.0",
};

export function parseServerTarget(value: string | undefined): ServerTarget {
  const name = value === undefined || value === "" ? DEFAULT_TARGET : value;
  const id = LINES[name] ?? name;
  const target = SERVER_TARGETS.find((t) => t.id === id);
  if (!target) {
    throw new OptionsError(
      `Unknown target '${name}'. Valid: ${[...SERVER_TARGETS.map((t) => t.id), ...Object.keys(LINES)].join(", ")} (product@version of a real server; install one with bash scripts/setup.sh --real-server=<target>)`,
    );
  }
  return target;
}

/** A route or API a release stopped serving; upstream's OpenAPI spec of each release is the evidence. */
interface Removal {
  /** Upstream test directories (API packages) whose every test needs it. */
  apis?: readonly string[];
  /** Single routes (method and path template). */
  routes?: readonly (readonly [string, string])[];
  what: string;
  product: ServerProduct;
  version: string;
}

const REMOVALS: readonly Removal[] = [
  { apis: ["post_training"], what: "the post-training API", product: "llama-stack", version: "0.7.0" },
  { apis: ["tool_runtime", "tools"], what: "toolgroups and the tool runtime API", product: "llama-stack", version: "0.7.0" },
  {
    routes: [["POST", "/v1/models"], ["DELETE", "/v1/models/{model_id}"]],
    what: "model registration", product: "llama-stack", version: "0.7.0",
  },
  { apis: ["scoring", "eval", "datasets"], what: "scoring, eval, benchmarks and datasets", product: "ogx", version: "0.8.0" },
  // Present in the newest mirrored tree (0.8 line); 1.5.0 rejects `safety` in a run config.
  { apis: ["safety"], what: "the safety API and shields", product: "ogx", version: "1.5.0" },
];

function versionTuple(v: string): number[] {
  return v.split(".").map((p) => Number.parseInt(p, 10) || 0);
}

/** Version order across the rename: ogx continued llama-stack's numbering at 0.8.0. */
function atOrAfter(target: ServerTarget, r: Removal): boolean {
  const a = versionTuple(target.version);
  const b = versionTuple(r.version);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

function label(r: Removal): string {
  return `removed in ${r.product} ${r.version} (${r.what})`;
}

/** The skip reason for a test of upstream directory `api` on `target`, or null when it still serves it. */
export function removedApiReason(target: ServerTarget, api: string): string | null {
  const r = REMOVALS.find((x) => x.apis?.includes(api) && atOrAfter(target, x));
  return r ? label(r) : null;
}

/** The skip reason for a test that needs `method route` on `target`, or null. */
export function removedRouteReason(target: ServerTarget, method: string, route: string): string | null {
  const r = REMOVALS.find((x) => x.routes?.some(([m, p]) => m === method.toUpperCase() && p === route) && atOrAfter(target, x));
  return r ? label(r) : null;
}

/** The server variable `<prefix>_<suffix>` for the target (e.g. TEST_INFERENCE_MODE). */
export function serverVar(target: ServerTarget, suffix: string): string {
  return `${target.envPrefix}_${suffix}`;
}
