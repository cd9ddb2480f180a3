/**
 * Health of every configured provider, run as upstream's providers API does: each API's checks in
 * turn (its router's health()), 1 s per provider, and the APIs side by side with 3 s for each.
 */
import type { ProviderConfig, RunConfig } from "../../config/types.js";
import { healthCheckFor, type HealthCheck, type HealthResponse } from "../../providers/health.js";

/** The inference and vector_io routers' per-provider timeout, in seconds. */
const PROVIDER_TIMEOUT_S = 1;
/** The providers API's timeout for one API's router health(), in seconds. */
const API_TIMEOUT_S = 3;

export const NOT_IMPLEMENTED: HealthResponse = { status: "Not Implemented", message: "Provider does not implement health check" };

/** API name -> provider id -> health, for providers that have a check. */
export type ProvidersHealth = Map<string, Map<string, HealthResponse>>;

function runCheck(check: HealthCheck, apiDeadline: AbortSignal): Promise<HealthResponse> {
  const signal = AbortSignal.any([apiDeadline, AbortSignal.timeout(PROVIDER_TIMEOUT_S * 1000)]);
  return new Promise((resolve) => {
    const timedOut = () => resolve({ status: "Error", message: `Health check timed out after ${PROVIDER_TIMEOUT_S} seconds` });
    if (signal.aborted) return timedOut();
    signal.addEventListener("abort", timedOut, { once: true });
    check(signal)
      .then(resolve, (err: unknown) => resolve({ status: "Error", message: `Health check failed: ${(err as Error).message ?? String(err)}` }))
      .finally(() => signal.removeEventListener("abort", timedOut));
  });
}

async function apiHealth(providers: ProviderConfig[]): Promise<Map<string, HealthResponse>> {
  const deadline = AbortSignal.timeout(API_TIMEOUT_S * 1000);
  const out = new Map<string, HealthResponse>();
  for (const provider of providers) {
    const check = healthCheckFor(provider);
    if (!check) continue;
    out.set(provider.provider_id, await runCheck(check, deadline));
  }
  // Upstream files an API-level timeout under the API, not its providers, so each lists as not implemented.
  return deadline.aborted ? new Map() : out;
}

export async function providersHealth(config: RunConfig): Promise<ProvidersHealth> {
  const apis = Object.entries(config.providers);
  const results = await Promise.all(apis.map(([, providers]) => apiHealth(providers)));
  return new Map(apis.map(([api], i) => [api, results[i]!]));
}
