/** Inference modes, with the meaning Llama Stack's recorder gives them. */
export type InferenceMode = "live" | "record" | "replay" | "record-if-missing";

/** live: forward, write nothing. record: forward and (over)write. replay: recordings only, a miss is an error.
 *  record-if-missing: replay hits, forward and write misses. */
export const INFERENCE_MODES: readonly InferenceMode[] = ["live", "record", "replay", "record-if-missing"];

export class InvalidInferenceModeError extends Error {
  constructor(value: string) {
    super(`Invalid inference mode "${value}": use one of ${INFERENCE_MODES.join(", ")} (e.g. LLAMA_STACK_TEST_INFERENCE_MODE=replay)`);
    this.name = "InvalidInferenceModeError";
  }
}

/** Default "replay"; case-insensitive like upstream; anything else throws listing the valid modes. */
export function parseInferenceMode(value: string | undefined): InferenceMode {
  if (value === undefined || value.trim() === "") return "replay";
  const v = value.trim().toLowerCase();
  if ((INFERENCE_MODES as readonly string[]).includes(v)) return v as InferenceMode;
  throw new InvalidInferenceModeError(value);
}
