/** Request schemas of the OpenAI-compatible inference routes (upstream's *RequestWithExtraBody: extra keys allowed). */
import { z } from "zod";
import { pyBool, pyFloat, pyInt } from "../../server/py-types.js";
import { chatMessages } from "./message-schema.js";


const stop = z.union([z.string(), z.array(z.string())]);
const int = pyInt();

export const chatCompletionRequest = z
  .object({
    model: z.string(),
    messages: chatMessages,
    frequency_penalty: pyFloat().nullish(),
    function_call: z.union([z.string(), z.record(z.unknown())]).nullish(),
    functions: z.array(z.record(z.unknown())).nullish(),
    logit_bias: z.record(pyFloat()).nullish(),
    logprobs: pyBool().nullish(),
    max_completion_tokens: int.nullish(),
    max_tokens: int.nullish(),
    n: int.nullish(),
    parallel_tool_calls: pyBool().nullish(),
    presence_penalty: pyFloat().nullish(),
    response_format: z.object({ type: z.enum(["text", "json_schema", "json_object"]) }).passthrough().nullish(),
    seed: int.nullish(),
    stop: stop.nullish(),
    stream: pyBool().nullish(),
    stream_options: z.record(z.unknown()).nullish(),
    temperature: pyFloat().nullish(),
    tool_choice: z.union([z.string(), z.record(z.unknown())]).nullish(),
    tools: z.array(z.record(z.unknown())).nullish(),
    top_logprobs: int.nullish(),
    top_p: pyFloat().nullish(),
    user: z.string().nullish(),
  })
  .passthrough();

export const completionRequest = z
  .object({
    model: z.string(),
    prompt: z.union([z.string(), z.array(z.string()), z.array(int), z.array(z.array(int))]),
    best_of: int.nullish(),
    echo: pyBool().nullish(),
    frequency_penalty: pyFloat().nullish(),
    logit_bias: z.record(pyFloat()).nullish(),
    logprobs: pyBool().nullish(),
    max_tokens: int.nullish(),
    n: int.nullish(),
    presence_penalty: pyFloat().nullish(),
    seed: int.nullish(),
    stop: stop.nullish(),
    stream: pyBool().nullish(),
    stream_options: z.record(z.unknown()).nullish(),
    temperature: pyFloat().nullish(),
    top_p: pyFloat().nullish(),
    user: z.string().nullish(),
    suffix: z.string().nullish(),
  })
  .passthrough();

export const embeddingsRequest = z
  .object({
    model: z.string(),
    input: z.union([z.string(), z.array(z.string())]),
    encoding_format: z.string().nullish(),
    dimensions: int.nullish(),
    user: z.string().nullish(),
  })
  .passthrough();

const rerankItem = z.union([z.string(), z.object({ type: z.enum(["text", "image_url"]) }).passthrough()]);

export const rerankRequest = z.object({
  model: z.string(),
  query: rerankItem,
  items: z.array(rerankItem),
  max_num_results: pyInt().nullish(),
});

export const listChatCompletionsQuery = z.object({
  after: z.string().optional(),
  limit: pyInt().optional(),
  model: z.string().optional(),
  order: z.enum(["asc", "desc"]).optional(),
});

/** Declared fields of each request, in the order upstream passes them to the provider client. */
export const CHAT_FIELDS = [
  "model", "messages", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs",
  "max_completion_tokens", "max_tokens", "n", "parallel_tool_calls", "presence_penalty", "response_format",
  "seed", "stop", "stream", "stream_options", "temperature", "tool_choice", "tools", "top_logprobs", "top_p", "user",
] as const;

export const COMPLETION_FIELDS = [
  "model", "prompt", "best_of", "echo", "frequency_penalty", "logit_bias", "logprobs", "max_tokens", "n",
  "presence_penalty", "seed", "stop", "stream", "stream_options", "temperature", "top_p", "user", "suffix",
] as const;

export const EMBEDDINGS_FIELDS = ["model", "input", "encoding_format", "dimensions", "user"] as const;
