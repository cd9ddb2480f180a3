import { OptionsError } from "./errors.js";

export type InferenceMode = "live" | "record" | "replay" | "record-if-missing";
export const INFERENCE_MODES: readonly InferenceMode[] = ["replay", "record", "record-if-missing", "live"];

export function parseInferenceMode(value: string | undefined): InferenceMode {
  if (value === undefined || value === "") return "replay";
  if ((INFERENCE_MODES as readonly string[]).includes(value)) return value as InferenceMode;
  throw new OptionsError(`Unknown inference mode '${value}'. Valid: ${INFERENCE_MODES.join(", ")}`);
}

/** Modes that reach a real provider: never cached, longer timeouts. */
export function reachesProvider(mode: InferenceMode): boolean {
  return mode !== "replay";
}
