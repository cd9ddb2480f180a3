/** Turning provider responses into recorded bodies and recorded bodies back into HTTP responses. */
import { isJsonObject, JsonNumber, type JsonObject, type JsonValue } from "./json.js";
import { modelKey, modelListItems, unwrapTyped, type RecordingFile } from "./format.js";
import { compareCodePoints } from "./json.js";

const OLLAMA_DURATIONS = ["total_duration", "load_duration", "prompt_eval_duration", "eval_duration"];

/** Stable ids and timestamps so re-recording does not churn diffs (model objects keep theirs). */
export function normalizeResponse(data: JsonValue, hash: string): JsonValue {
  if (!isJsonObject(data)) return data;
  const out: JsonObject = { ...data };
  const isModel = out.object === "model";
  if ("id" in out && !isModel) out.id = `rec-${hash.slice(0, 12)}`;
  if ("created" in out && !isModel) out.created = new JsonNumber("0");
  if ("created_at" in out) out.created_at = "1970-01-01T00:00:00.000000Z";
  for (const k of OLLAMA_DURATIONS) if (k in out && out[k] !== null) out[k] = new JsonNumber("0");
  return out;
}

/** Python class names upstream records in __type__, so its reader can rebuild the objects. */
export function typeNameFor(endpoint: string, data: JsonValue): string | null {
  if (!isJsonObject(data)) return null;
  switch (data.object) {
    case "chat.completion": return "openai.types.chat.chat_completion.ChatCompletion";
    case "chat.completion.chunk": return "openai.types.chat.chat_completion_chunk.ChatCompletionChunk";
    case "text_completion": return "openai.types.completion.Completion";
    case "model": return "openai.types.model.Model";
  }
  if (endpoint.endsWith("/embeddings") && data.object === "list") return "openai.types.create_embedding_response.CreateEmbeddingResponse";
  if (endpoint === "/api/ps") return "ollama._types.ProcessResponse";
  if (endpoint === "/api/tags") return "ollama._types.ListResponse";
  return null;
}

/** One recorded body item: normalized and wrapped in {__type__, __data__} when its class is known. */
export function recordItem(endpoint: string, data: JsonValue, hash: string): JsonValue {
  const normalized = normalizeResponse(data, hash);
  const type = typeNameFor(endpoint, normalized);
  return type ? { __type__: type, __data__: normalized } : normalized;
}

/** OpenAI model lists are recorded as the list of models (what the Python client iterates). */
export function recordBody(endpoint: string, data: JsonValue, hash: string): JsonValue {
  if ((endpoint === "/v1/models" || endpoint === "/v1/openai/v1/models") && isJsonObject(data) && Array.isArray(data.data)) {
    return data.data.map((m) => recordItem(endpoint, m, hash));
  }
  return recordItem(endpoint, data, hash);
}

/** The wire body for a recorded non-streaming body (inverse of recordBody). */
export function wireBody(endpoint: string, body: JsonValue): JsonValue {
  if (Array.isArray(body) && (endpoint === "/v1/models" || endpoint === "/v1/openai/v1/models")) {
    return { object: "list", data: body.map(unwrapTyped) };
  }
  return unwrapTyped(body);
}

/** Union of several model-list recordings (different servers), sorted by model id, as upstream merges them. */
export function combineModelLists(endpoint: string, recs: RecordingFile[]): RecordingFile | null {
  const first = recs[0];
  if (!first) return null;
  const seen = new Map<string, JsonObject>();
  for (const r of recs) for (const m of modelListItems(r.response.body)) seen.set(modelKey(endpoint, m), m);
  const ordered = [...seen.keys()].sort(compareCodePoints).map((k) => seen.get(k)!);
  const body: JsonValue = endpoint === "/api/tags" ? { models: ordered } : ordered;
  return { ...first, response: { body, is_streaming: false } };
}

/** SSE events' data payloads from a complete or partial byte stream. */
export class SseParser {
  private buf = "";
  private data: string[] = [];

  /** Feeds text; returns the data of each completed event. */
  push(text: string): string[] {
    this.buf += text;
    const done: string[] = [];
    let nl: number;
    while ((nl = this.buf.indexOf("\n")) >= 0) {
      let line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line === "") {
        if (this.data.length > 0) done.push(this.data.join("\n"));
        this.data = [];
      } else if (line.startsWith("data:")) {
        this.data.push(line.slice(line[5] === " " ? 6 : 5));
      }
    }
    return done;
  }

  /** Data of an event left unterminated when the stream ended. */
  end(): string[] {
    const rest = this.push("\n\n");
    return rest;
  }
}
