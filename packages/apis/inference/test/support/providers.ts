import type { UpstreamTestContext } from "@llama-stack-tests/stack";

export interface ProviderInfo {
  api: string;
  provider_id: string;
  provider_type: string;
}

export class ModelNotServedError extends Error {
  constructor(modelId: string, known: readonly string[]) {
    super(
      `Model '${modelId}' is not listed by GET /v1/models (known: ${known.join(", ") || "none"}). ` +
        "Register it in the stack's run config or pass the served id with --text-model/--embedding-model.",
    );
    this.name = "ModelNotServedError";
  }
}

/** The provider serving `modelId`, looked up by model id or provider resource id as upstream does. */
export async function providerFromModel(t: UpstreamTestContext<unknown>, modelId: string): Promise<ProviderInfo> {
  const models = await t.client.models.list();
  const providerIdByModel = new Map<string, string>();
  for (const model of models) {
    const meta = model.custom_metadata;
    const providerId = typeof meta?.["provider_id"] === "string" ? meta["provider_id"] : undefined;
    if (!providerId) continue;
    providerIdByModel.set(model.id, providerId);
    if (typeof meta?.["provider_resource_id"] === "string") providerIdByModel.set(meta["provider_resource_id"], providerId);
  }
  const providerId = providerIdByModel.get(modelId);
  if (!providerId) throw new ModelNotServedError(modelId, [...providerIdByModel.keys()]);
  const providers = await t.client.providers.list();
  const provider = providers.find((p) => p.provider_id === providerId);
  if (!provider) {
    throw new Error(`Model '${modelId}' names provider '${providerId}', which GET /v1/providers does not list.`);
  }
  return provider;
}

/** Upstream's `inference_provider_type` fixture: the type of the first inference provider. */
export async function firstInferenceProviderType(t: UpstreamTestContext<unknown>): Promise<string> {
  const providers = await t.client.providers.list();
  const inference = providers.filter((p) => p.api === "inference");
  if (inference.length === 0) throw new Error("No inference providers found in GET /v1/providers.");
  return inference[0]!.provider_type;
}

/** Skips the case when the model's provider type is in `unsupported`, with upstream's wording. */
export async function skipIfProviderIn(
  t: UpstreamTestContext<unknown>,
  modelId: string,
  unsupported: readonly string[],
  what: string,
): Promise<ProviderInfo> {
  const provider = await providerFromModel(t, modelId);
  if (unsupported.includes(provider.provider_type)) {
    t.skip(`Model ${modelId} hosted by ${provider.provider_type} ${what}.`);
  }
  return provider;
}
