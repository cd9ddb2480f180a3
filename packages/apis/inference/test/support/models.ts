type ModelKind = "text" | "vision" | "embedding" | "rerank";

/** The run's model for a fixture the test's spec requires (text_model_id, vision_model_id, ...). */
export function requiredModel(t: { models: Partial<Record<ModelKind, string>> }, kind: ModelKind): string {
  const model = t.models[kind];
  if (!model) throw new Error(`${kind}_model_id is unset although the spec requires it.`);
  return model;
}
