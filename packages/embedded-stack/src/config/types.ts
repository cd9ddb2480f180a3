/** Run configuration, shaped like upstream's StackRunConfig (the subset the embedded stack uses). */

export interface ProviderConfig {
  provider_id: string;
  provider_type: string;
  config: Record<string, unknown>;
}

export type ModelType = "llm" | "embedding" | "rerank";

export interface ModelInput {
  model_id: string;
  provider_id?: string;
  provider_model_id?: string;
  model_type?: ModelType;
  metadata?: Record<string, unknown>;
}

export interface ShieldInput {
  shield_id: string;
  provider_id?: string;
  provider_shield_id?: string;
  params?: Record<string, unknown>;
}

export interface ToolGroupInput {
  toolgroup_id: string;
  provider_id: string;
  mcp_endpoint?: { uri: string } | null;
  args?: Record<string, unknown> | null;
}

export interface RunConfig {
  version: number | string;
  image_name: string;
  apis: string[];
  /** API name -> providers serving it. */
  providers: Record<string, ProviderConfig[]>;
  registered_resources: {
    models: ModelInput[];
    shields: ShieldInput[];
    tool_groups?: ToolGroupInput[];
  };
  safety?: { default_shield_id?: string };
  vector_stores?: VectorStoresConfig;
}

/** Upstream's `vector_stores` section: defaults for stores created without a provider or embedding model. */
export interface VectorStoresConfig {
  default_provider_id?: string;
  default_embedding_model?: { provider_id: string; model_id: string };
}
