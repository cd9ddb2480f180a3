/**
 * Inference test cases, keyed by the id upstream's `TestCase` uses ("inference:<table>:<name>").
 * Prompts are byte-identical to upstream's tables: the provider request hash includes them.
 */
import type OpenAI from "openai";

export interface CompletionCase {
  content: string;
  suffix?: string;
}

export const COMPLETION_CASES = {
  "inference:completion:sanity": {
    content: "Complete the sentence using one word: Roses are red, violets are ",
  },
  "inference:completion:suffix": { content: "The capital of ", suffix: "is Paris." },
  "inference:completion:stop_sequence": {
    content:
      "Return the exact same sentence and don't add additional words): Michael Jordan was born in the year of 1963",
  },
  "inference:completion:log_probs": { content: "Complete the sentence: Micheael Jordan is born in " },
} as const satisfies Record<string, CompletionCase>;

export type CompletionCaseId = keyof typeof COMPLETION_CASES;

export interface QuestionCase {
  question: string;
  /** Substring a capable model's answer contains (compared after `normalizeText`). */
  expected: string;
}

export const QUESTION_CASES = {
  "inference:chat_completion:non_streaming_01": { question: "Which planet do humans live on?", expected: "Earth" },
  "inference:chat_completion:non_streaming_02": {
    question: "Which planet has rings around it with a name starting with letter S?",
    expected: "Saturn",
  },
  "inference:chat_completion:streaming_01": { question: "What's the name of the Sun in latin?", expected: "Sol" },
  "inference:chat_completion:streaming_02": { question: "What is the name of the US captial?", expected: "Washington" },
} as const satisfies Record<string, QuestionCase>;

export type QuestionCaseId = keyof typeof QUESTION_CASES;

export interface ToolCallingCase {
  messages: OpenAI.Chat.ChatCompletionMessageParam[];
  tools: OpenAI.Chat.ChatCompletionFunctionTool[];
  expected: { location: string };
}

export const TOOL_CALLING_CASE: ToolCallingCase = {
  messages: [
    { role: "system", content: "Pretend you are a weather assistant." },
    { role: "user", content: "What's the weather like in San Francisco, CA?" },
  ],
  tools: [
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Get the current weather",
        parameters: {
          type: "object",
          properties: {
            location: {
              type: "string",
              description: "The city and state (both required), e.g. San Francisco, CA.",
            },
          },
          required: ["location"],
        },
      },
    },
  ],
  expected: { location: "San Francisco, CA" },
};

export interface StructuredOutputCase {
  messages: OpenAI.Chat.ChatCompletionMessageParam[];
  expected: { first_name: string; last_name: string; year_of_birth: number };
}

export const STRUCTURED_OUTPUT_CASE: StructuredOutputCase = {
  messages: [
    {
      role: "system",
      content:
        'You are a helpful assistant. Michael Jordan was born in 1963. His first name is "Michael", He played basketball for the Chicago Bulls for 15 seasons and was drafted in 1984',
    },
    { role: "user", content: "Please give me information about Michael Jordan." },
  ],
  expected: { first_name: "Michael", last_name: "Jordan", year_of_birth: 1963 },
};

/** The JSON schema pydantic emits for upstream's `AnswerFormat` model, key order included. */
export const ANSWER_FORMAT_SCHEMA = {
  properties: {
    first_name: { title: "First Name", type: "string" },
    last_name: { title: "Last Name", type: "string" },
    year_of_birth: { title: "Year Of Birth", type: "integer" },
  },
  required: ["first_name", "last_name", "year_of_birth"],
  title: "AnswerFormat",
  type: "object",
} as const;

export interface AnswerFormat {
  first_name: string;
  last_name: string;
  year_of_birth: number;
}

/** Validates `text` as an `AnswerFormat` JSON document, like pydantic's `model_validate_json`. */
export function parseAnswerFormat(text: string): AnswerFormat {
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null) throw new TypeError(`AnswerFormat must be an object, got ${text}`);
  const record = value as Record<string, unknown>;
  const { first_name, last_name, year_of_birth } = record;
  if (typeof first_name !== "string") throw new TypeError(`AnswerFormat.first_name must be a string: ${text}`);
  if (typeof last_name !== "string") throw new TypeError(`AnswerFormat.last_name must be a string: ${text}`);
  if (typeof year_of_birth !== "number" || !Number.isInteger(year_of_birth)) {
    throw new TypeError(`AnswerFormat.year_of_birth must be an integer: ${text}`);
  }
  return { first_name, last_name, year_of_birth };
}
