import type { LlamaGrammar } from "node-llama-cpp";
import type { ModelEngine } from "./engine.js";

/**
 * Llama Guard's verdict format as GBNF: `safe`, or `unsafe` and a line of one to three comma-separated
 * categories S1..S14. The count is bounded because random weights rarely stop on their own. The
 * trailing blank line only marks the end (llama.cpp's sampler needs a stop it can reach) and is cut.
 */
export const GUARD_VERDICT_GBNF = String.raw`root ::= verdict "\n\n"
verdict ::= "safe" | "unsafe\n" categories
categories ::= category ("," category)? ("," category)?
category ::= "S" ([2-9] | "1" [0-4]?)
`;

export const GUARD_VERDICT_STOP = "\n\n";

/** Matches every string the grammar produces once its end marker is cut. */
export const GUARD_VERDICT_PATTERN = /^(safe|unsafe\nS(?:[2-9]|1[0-4]?)(?:,S(?:[2-9]|1[0-4]?)){0,2})$/;

export function guardVerdictGrammar(engine: ModelEngine): Promise<LlamaGrammar> {
  return engine.createGbnfGrammar(GUARD_VERDICT_GBNF, [GUARD_VERDICT_STOP]);
}
