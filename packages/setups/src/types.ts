/** What a setup can do; mirrors the Capability type of @llama-stack-tests/stack's test API. */
export type Capability =
  | "tool_calling"
  | "vision"
  | "answer_quality"
  | "safety_verdicts"
  | "embeddings_semantics"
  | "structured_output";

export const CAPABILITIES: readonly Capability[] = [
  "tool_calling",
  "vision",
  "answer_quality",
  "safety_verdicts",
  "embeddings_semantics",
  "structured_output",
];

/** Model defaults a setup supplies, keyed like upstream's pytest option destinations. */
export interface SetupDefaults {
  text_model?: string;
  vision_model?: string;
  embedding_model?: string;
  embedding_dimension?: number;
  safety_model?: string;
  safety_shield?: string;
  judge_model?: string;
  rerank_model?: string;
}

export interface Setup {
  /** The key passed to --setup. */
  name: string;
  description: string;
  /** Provider env applied only where the variable is unset. */
  env: Readonly<Record<string, string>>;
  defaults: Readonly<SetupDefaults>;
  capabilities: readonly Capability[];
}

export interface Suite {
  name: string;
  description: string;
  /** API package names (turbo filters). */
  packages: readonly string[];
  /** Optional test-file filters passed to vitest. */
  files?: readonly string[];
  defaultSetup: string;
}
