import type { LlamaGrammar } from "node-llama-cpp";
import { boundSchema, TINY_ANY_OBJECT } from "./bound-schema.js";
import type { ModelEngine } from "./engine.js";
import { badRequest } from "./errors.js";
import type { Json } from "./validate.js";

/** Compiles a JSON schema (or "any JSON object" for null) into a llama.cpp grammar. */
export async function grammarFor(engine: ModelEngine, schema: Json | null, param: string): Promise<LlamaGrammar> {
  if (schema === null && !engine.isTinyModel) return engine.jsonObjectGrammar();
  const effective = engine.isTinyModel ? boundSchema(schema ?? TINY_ANY_OBJECT) : schema!;
  try {
    return await engine.createJsonSchemaGrammar(effective);
  } catch (err) {
    throw badRequest(param, `'${param}' could not be turned into a grammar: ${(err as Error).message}. Use a plain JSON schema (type, properties, required, items, enum, const, oneOf/anyOf, $defs).`);
  }
}
