import type { LlamaGrammar } from "node-llama-cpp";
import type { ModelEngine } from "./engine.js";
import { badRequest } from "./errors.js";
import type { Json } from "./validate.js";

/** Ends a guided choice: llama.cpp's sampler needs a stop it can reach; it is cut from the output. */
const CHOICE_END = "\n\n";

/** A GBNF string literal: quotes, backslashes and control characters escaped. */
function gbnfLiteral(text: string): string {
  return JSON.stringify(text);
}

/**
 * vLLM's `guided_choice` (sent by Llama Stack's remote::vllm provider in the request body): the output
 * is exactly one of the strings, enforced by a grammar. Returns undefined when the body has none.
 */
export async function guidedChoiceGrammar(engine: ModelEngine, body: Json): Promise<LlamaGrammar | undefined> {
  const choices = body.guided_choice;
  if (choices === undefined || choices === null) return undefined;
  if (!Array.isArray(choices) || choices.length === 0 || !choices.every((c) => typeof c === "string" && c.length > 0)) {
    throw badRequest("guided_choice", "'guided_choice' must be a non-empty list of non-empty strings.");
  }
  const gbnf = `root ::= (${choices.map((c) => gbnfLiteral(c as string)).join(" | ")}) ${gbnfLiteral(CHOICE_END)}\n`;
  return engine.createGbnfGrammar(gbnf, [CHOICE_END]);
}
