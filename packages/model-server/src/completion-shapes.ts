/** Envelope pieces chat and text completions share: usage, the stream_options switch, chunks, stream errors. */
import type { Json } from "./validate.js";

export function usageOf(promptTokens: number, completionTokens: number): Json {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

/** `stream_options.include_usage` on a streaming request: every chunk then carries `usage: null`, and a final one the totals. */
export function streamIncludesUsage(body: Json, stream: boolean): boolean {
  const options = body.stream_options as Json | undefined | null;
  return stream && typeof options === "object" && options !== null && options.include_usage === true;
}

/** Builds the stream's chunks around `envelope` (id, object, created, model, ...). */
export function chunkBuilder(envelope: Json, includeUsage: boolean): (choices: unknown[], extra?: Json) => Json {
  return (choices, extra = {}) => ({ ...envelope, choices, ...(includeUsage ? { usage: null } : {}), ...extra });
}

/** The event a stream ends with when generation fails after its headers are out. */
export function streamError(err: unknown): Json {
  return { error: { message: (err as Error).message, type: "server_error", param: null, code: null } };
}
