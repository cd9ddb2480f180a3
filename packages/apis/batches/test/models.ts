import type { ResolvedModels, UpstreamTestContext } from "@llama-stack-tests/stack";

type ModelKey = Exclude<keyof ResolvedModels, "embeddingDimension">;

/** The resolved model id; the harness skips cases whose model fixture is unset, so absence is a harness bug. */
export function modelId<P>(t: UpstreamTestContext<P>, key: ModelKey): string {
  const id = t.models[key];
  if (id === undefined) throw new Error(`no ${key} model resolved for ${t.testId}; the spec must list its model fixture`);
  return id;
}
