/**
 * The model-candidate generation step of upstream's meta-reference eval provider: one inference call per
 * row, from its `completion_input` (completions) or `chat_completion_input` (chat) column, with only
 * max_tokens (and stop, for completions) taken from the candidate's sampling params.
 */
import { InvalidValueError } from "../../server/errors.js";
import type { InferenceRouter, JsonObject } from "../../server/types.js";
import type { ModelCandidate } from "./schemas.js";
import type { Row } from "./types.js";

/** Upstream's ColumnName values this step reads and writes. */
const COMPLETION_INPUT = "completion_input";
const CHAT_COMPLETION_INPUT = "chat_completion_input";
export const GENERATED_ANSWER = "generated_answer";

/** Upstream asserts this, which its server answers with a generic 500 (no statusCode on purpose). */
class MissingMaxTokensError extends Error {
  constructor() {
    super("SamplingParams.max_tokens must be provided");
    this.name = "MissingMaxTokensError";
  }
}

function jsonColumn(row: Row, column: string): unknown {
  const value = row[column];
  if (typeof value !== "string") throw new InvalidValueError(`column '${column}' must hold a JSON string`);
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new InvalidValueError(`column '${column}' is not valid JSON: ${(err as Error).message}`);
  }
}

/** An OpenAI message param as upstream's model keeps it: role, content and a name only when given. */
function messageParam(m: JsonObject): JsonObject {
  return { role: m.role, content: m.content, ...(m.name !== null && m.name !== undefined ? { name: m.name } : {}) };
}

function chatMessages(row: Row, candidate: ModelCandidate): JsonObject[] {
  const input = jsonColumn(row, CHAT_COMPLETION_INPUT);
  if (!Array.isArray(input)) throw new InvalidValueError(`column '${CHAT_COMPLETION_INPUT}' must be a JSON list of messages`);
  const byRole = (role: string) => (input as JsonObject[]).filter((m) => m?.role === role).map(messageParam);
  const messages: JsonObject[] = [];
  if (candidate.system_message) messages.push({ role: "system", content: candidate.system_message.content });
  // Upstream puts the row's system messages first, then its user messages; other roles are dropped.
  messages.push(...byRole("system"), ...byRole("user"));
  return messages;
}

function firstChoice(response: JsonObject | AsyncIterable<JsonObject>): JsonObject {
  const choices = (response as JsonObject).choices;
  const first = Array.isArray(choices) ? (choices[0] as JsonObject | undefined) : undefined;
  if (!first) throw new Error("provider returned no choices");
  return first;
}

export async function generateAnswers(rows: readonly Row[], candidate: ModelCandidate, inference: InferenceRouter): Promise<Row[]> {
  const { max_tokens: maxTokens, stop } = candidate.sampling_params;
  if (maxTokens === null || maxTokens === undefined) throw new MissingMaxTokensError();
  // One params object for the whole run, as upstream keeps it: once a completion row adds `stop`,
  // every later call (chat ones too) carries it.
  const params: JsonObject = { max_tokens: maxTokens };
  const generations: Row[] = [];
  for (const row of rows) {
    if (COMPLETION_INPUT in row) {
      if (stop && stop.length > 0) params.stop = stop;
      const prompt = jsonColumn(row, COMPLETION_INPUT);
      const response = await inference.completion({ model: candidate.model, prompt, ...params });
      generations.push({ [GENERATED_ANSWER]: firstChoice(response).text });
    } else if (CHAT_COMPLETION_INPUT in row) {
      const messages = chatMessages(row, candidate);
      const response = await inference.chatCompletion({ model: candidate.model, messages, ...params });
      generations.push({ [GENERATED_ANSWER]: (firstChoice(response).message as JsonObject | undefined)?.content ?? null });
    } else {
      throw new InvalidValueError("Invalid input row");
    }
  }
  return generations;
}
