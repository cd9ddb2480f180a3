import path from "node:path";
import { findRepoRoot, getSetup, withSetupDefaults, type Capability } from "@llama-stack-tests/setups";
import { CLIENT_TIMEOUT_ENV, OPTION_ENV, optionFromEnv } from "./env-names.js";
import { OptionsError } from "./errors.js";
import { parseInferenceMode, type InferenceMode } from "./inference-mode.js";
import { parseServerTarget } from "./server-targets.js";
import { DEFAULT_STACK_CONFIG, parseStackConfig } from "./stack-config.js";

export type Recorder = "proxy" | "builtin";
export const RECORDERS: readonly Recorder[] = ["proxy", "builtin"];

/**
 * Upstream's --embedding-dimension parser default. Upstream's plugin lets it shadow a setup's own
 * dimension (gpt's 1536); here the setup's applies, because the embedded stack sizes a vector store by
 * the dimension it is given, and text-embedding-3-small's vectors are 1536 long (see README).
 */
export const DEFAULT_EMBEDDING_DIMENSION = 768;
export const DEFAULT_SETUP = "embedded";

/** Comma lists, as upstream's options: each value is one parametrization. */
export interface ModelOptions {
  text: string[];
  vision: string[];
  embedding: string[];
  shield: string[];
  judge: string[];
  rerank: string[];
  embeddingDimension: number;
}

/** Everything a run needs, resolved from LLAMA_STACK_TEST_* env; plain JSON (it is `provide()`d to workers). */
export interface RunOptions {
  rootDir: string;
  setupName: string;
  capabilities: Capability[];
  stackConfig: string;
  inferenceMode: InferenceMode;
  models: ModelOptions;
  recorder: Recorder;
  recordingsDir: string;
  /** The server product and version under test (`product@version`, server-targets.ts). */
  target: string;
  /** Extra env for the stack process (--env KEY=V), applied over the caller's env. */
  env: Record<string, string>;
  /** LLAMA_STACK_CLIENT_TIMEOUT in ms when set: how long the tests' clients wait for a response. */
  clientTimeoutMs?: number;
}

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

export function parseEmbeddingDimension(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new OptionsError(`Embedding dimension '${value}' is not a positive integer (e.g. --embedding-dimension=768)`);
  }
  return Number(value);
}

function parseClientTimeout(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new OptionsError(`${CLIENT_TIMEOUT_ENV}='${value}' is not a positive number of seconds (e.g. ${CLIENT_TIMEOUT_ENV}=300)`);
  }
  return Number(value) * 1000;
}

export function parseRecorder(value: string | undefined, stackConfig: string): Recorder {
  if (value === undefined || value === "") {
    // A Python server records with its own recorder; the embedded stack has only the proxy.
    return parseStackConfig(stackConfig).kind === "server" ? "builtin" : "proxy";
  }
  if ((RECORDERS as readonly string[]).includes(value)) return value as Recorder;
  throw new OptionsError(`Unknown recorder '${value}'. Valid: ${RECORDERS.join(", ")}`);
}

/** Parses LLAMA_STACK_TEST_ENV: KEY=VALUE entries, one per line. */
export function parseEnvList(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (value ?? "").split("\n")) {
    if (line.trim() === "") continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new OptionsError(`--env '${line}' is not KEY=VALUE`);
    out[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return out;
}

export function formatEnvList(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");
}

/**
 * Resolves the run's options: explicit LLAMA_STACK_TEST_* values win, then the setup's defaults,
 * then upstream's global defaults (embedding dimension 768).
 */
export function readOptions(env: NodeJS.ProcessEnv = process.env, rootDir: string = findRepoRoot()): RunOptions {
  const setupName = env[OPTION_ENV.setup] || DEFAULT_SETUP;
  const setup = getSetup(setupName);
  const stackConfig = optionFromEnv(env, "stackConfig") || DEFAULT_STACK_CONFIG;
  parseStackConfig(stackConfig, env); // validate early, with the form's error
  const explicitDim = env[OPTION_ENV.embeddingDimension];
  const defaults = withSetupDefaults(setup, {
    text_model: env[OPTION_ENV.textModel],
    vision_model: env[OPTION_ENV.visionModel],
    embedding_model: env[OPTION_ENV.embeddingModel],
    safety_shield: env[OPTION_ENV.safetyShield],
    judge_model: env[OPTION_ENV.judgeModel],
    rerank_model: env[OPTION_ENV.rerankModel],
  });
  const recordingsDir = optionFromEnv(env, "recordingsDir");
  const clientTimeoutMs = parseClientTimeout(env[CLIENT_TIMEOUT_ENV]);
  return {
    rootDir,
    setupName,
    capabilities: [...setup.capabilities],
    stackConfig,
    inferenceMode: parseInferenceMode(env[OPTION_ENV.inferenceMode]),
    models: {
      text: list(defaults.text_model),
      vision: list(defaults.vision_model),
      embedding: list(defaults.embedding_model),
      shield: list(defaults.safety_shield),
      judge: list(defaults.judge_model),
      rerank: list(defaults.rerank_model),
      embeddingDimension: explicitDim ? parseEmbeddingDimension(explicitDim) : (defaults.embedding_dimension ?? DEFAULT_EMBEDDING_DIMENSION),
    },
    recorder: parseRecorder(env[OPTION_ENV.recorder], stackConfig),
    recordingsDir: recordingsDir ? path.resolve(rootDir, recordingsDir) : path.join(rootDir, "recordings"),
    target: parseServerTarget(env[OPTION_ENV.target]).id,
    env: parseEnvList(env[OPTION_ENV.env]),
    ...(clientTimeoutMs ? { clientTimeoutMs } : {}),
  };
}

/**
 * True when the run replays the project's own recordings through the proxy of an embedded stack: there
 * a replay miss is a missing recording (the test fails with the miss), not a gap to report, as it is
 * over upstream's recordings.
 */
export function usesOwnRecordings(options: RunOptions): boolean {
  return (
    options.inferenceMode === "replay" &&
    options.recorder === "proxy" &&
    parseStackConfig(options.stackConfig).kind === "embedded" &&
    path.resolve(options.recordingsDir) === path.join(options.rootDir, "recordings")
  );
}
