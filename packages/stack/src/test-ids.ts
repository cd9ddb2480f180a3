import type { ModelOptions } from "./options.js";
import type { ClientVariant, ModelFixture, ResolvedModels, UpstreamTestSpec } from "./test-api.js";

interface FixtureConfig {
  fixture: ModelFixture;
  /** Id prefix upstream's conftest uses. */
  prefix: string;
  /** The CLI option that sets it. */
  option: string;
  values: (m: ModelOptions) => (string | number)[];
}

/** Upstream conftest's fixture_configs, in its order: that order builds the id. */
export const FIXTURE_CONFIGS: readonly FixtureConfig[] = [
  { fixture: "text_model_id", prefix: "txt", option: "--text-model", values: (m) => m.text },
  { fixture: "vision_model_id", prefix: "vis", option: "--vision-model", values: (m) => m.vision },
  { fixture: "embedding_model_id", prefix: "emb", option: "--embedding-model", values: (m) => m.embedding },
  { fixture: "shield_id", prefix: "shield", option: "--safety-shield", values: (m) => m.shield },
  { fixture: "judge_model_id", prefix: "judge", option: "--judge-model", values: (m) => m.judge },
  { fixture: "embedding_dimension", prefix: "dim", option: "--embedding-dimension", values: (m) => [m.embeddingDimension] },
  { fixture: "rerank_model_id", prefix: "rerank", option: "--rerank-model", values: (m) => m.rerank },
];

/** Upstream's MODEL_SHORT_IDS: only these exact values are shortened in ids. */
export const MODEL_SHORT_IDS: Readonly<Record<string, string>> = {
  "meta-llama/Llama-3.2-3B-Instruct": "3B",
  "meta-llama/Llama-3.1-8B-Instruct": "8B",
  "meta-llama/Llama-3.1-70B-Instruct": "70B",
  "meta-llama/Llama-3.1-405B-Instruct": "405B",
  "meta-llama/Llama-3.2-11B-Vision-Instruct": "11B",
  "meta-llama/Llama-3.2-90B-Vision-Instruct": "90B",
  "meta-llama/Llama-3.3-70B-Instruct": "70B",
  "meta-llama/Llama-Guard-3-1B": "Guard1B",
  "meta-llama/Llama-Guard-3-8B": "Guard8B",
  "nomic-ai/nomic-embed-text-v1.5": "Nomic-v1.5",
};

export function shortId(value: string | number): string {
  return MODEL_SHORT_IDS[String(value)] ?? String(value);
}

export interface ModelCombination {
  values: Partial<Record<ModelFixture, string | number>>;
  /** e.g. "txt=ollama/llama3.2:3b-instruct-fp16:emb=...", "" when no fixture has a value. */
  idPart: string;
  /** Fixtures of the spec with no value in this run (the case is skipped). */
  missing: ModelFixture[];
}

/** Cross product of the spec's model fixtures' comma-list values, in conftest order. */
export function modelCombinations(fixtures: readonly ModelFixture[], models: ModelOptions): ModelCombination[] {
  const used = FIXTURE_CONFIGS.filter((c) => fixtures.includes(c.fixture));
  let combos: ModelCombination[] = [{ values: {}, idPart: "", missing: [] }];
  for (const config of used) {
    const values = config.values(models);
    const next: ModelCombination[] = [];
    for (const combo of combos) {
      if (values.length === 0) {
        next.push({ ...combo, missing: [...combo.missing, config.fixture] });
        continue;
      }
      for (const value of values) {
        const part = `${config.prefix}=${shortId(value)}`;
        next.push({
          values: { ...combo.values, [config.fixture]: value },
          idPart: combo.idPart ? `${combo.idPart}:${part}` : part,
          missing: combo.missing,
        });
      }
    }
    combos = next;
  }
  return combos;
}

export interface PlannedCase<P> {
  testId: string;
  variant?: ClientVariant;
  models: ResolvedModels;
  missing: ModelFixture[];
  param: P;
}

/** Models a case sees: its combination's values, and each option's first value for the rest. */
function resolveModels(combo: ModelCombination, models: ModelOptions): ResolvedModels {
  const pick = (fixture: ModelFixture, list: string[]) =>
    (combo.values[fixture] as string | undefined) ?? list[0];
  const resolved: ResolvedModels = {
    embeddingDimension: (combo.values.embedding_dimension as number | undefined) ?? models.embeddingDimension,
  };
  const entries: [keyof ResolvedModels, string | undefined][] = [
    ["text", pick("text_model_id", models.text)],
    ["vision", pick("vision_model_id", models.vision)],
    ["embedding", pick("embedding_model_id", models.embedding)],
    ["shield", pick("shield_id", models.shield)],
    ["judge", pick("judge_model_id", models.judge)],
    ["rerank", pick("rerank_model_id", models.rerank)],
  ];
  for (const [key, value] of entries) if (value !== undefined) (resolved as unknown as Record<string, unknown>)[key] = value;
  return resolved;
}

/** The node id: `<file>::<name>[<parts joined by "-">]`, no brackets without parts. */
export function formatTestId(file: string, name: string, parts: readonly string[]): string {
  const nonEmpty = parts.filter((p) => p !== "");
  return `${file}::${name}${nonEmpty.length ? `[${nonEmpty.join("-")}]` : ""}`;
}

/** Every case of a spec under the run's models, named exactly as upstream's pytest names them. */
export function planCases<P>(spec: UpstreamTestSpec<P>, models: ModelOptions): PlannedCase<P>[] {
  const order = spec.idOrder ?? ["client", "models", "cases"];
  const variants: (ClientVariant | undefined)[] = spec.clients?.length ? [...spec.clients] : [undefined];
  const combos = modelCombinations(spec.models ?? [], models);
  const cases: ({ id: string; value: P } | undefined)[] = spec.cases?.length ? [...spec.cases] : [undefined];
  const planned: PlannedCase<P>[] = [];
  for (const variant of variants) {
    for (const combo of combos) {
      for (const c of cases) {
        const part = { client: variant ?? "", models: combo.idPart, cases: c?.id ?? "" };
        const testId = formatTestId(spec.file, spec.name, order.map((k) => part[k]));
        const entry: PlannedCase<P> = {
          testId,
          models: resolveModels(combo, models),
          missing: combo.missing,
          param: c?.value as P,
        };
        if (variant) entry.variant = variant;
        planned.push(entry);
      }
    }
  }
  return planned;
}

/** The skip reason of a case whose model fixture has no value in this run. */
export function missingModelReason(fixture: ModelFixture, setupName: string): string {
  const option = FIXTURE_CONFIGS.find((c) => c.fixture === fixture)?.option ?? fixture;
  return `no ${fixture} set for setup ${setupName}: pass ${option}=...`;
}
