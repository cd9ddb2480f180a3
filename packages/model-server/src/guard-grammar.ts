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

/**
 * A conversation carrying this text gets the verdict `unsafe` with category S1. The random weights
 * answer `safe` to everything, so without it no offline run could exercise a shield's violation path
 * (e.g. the violation attributes of `run_shield` spans). It is a named stand-in for a real guard's
 * judgement, not one: nothing else about the verdicts means anything.
 */
export const GUARD_FLAG_MARKER = "[model-server: flag as unsafe]";

const GUARD_FLAGGED_GBNF = String.raw`root ::= "unsafe\nS1\n\n"
`;

/** The verdict grammar for a conversation whose rendered text is `conversation`. */
export function guardVerdictGrammar(engine: ModelEngine, conversation: string): Promise<LlamaGrammar> {
  const gbnf = conversation.includes(GUARD_FLAG_MARKER) ? GUARD_FLAGGED_GBNF : GUARD_VERDICT_GBNF;
  return engine.createGbnfGrammar(gbnf, [GUARD_VERDICT_STOP]);
}
