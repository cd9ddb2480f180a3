/** Re-applying response normalization to recording files already on disk. */
import { isJsonObject, type JsonValue } from "./json.js";
import { normalizeResponse } from "./response.js";
import type { RecordingFile } from "./format.js";

function normalizeItem(item: JsonValue, hash: string): JsonValue {
  if (isJsonObject(item) && "__type__" in item && "__data__" in item) {
    return { ...item, __data__: normalizeResponse(item.__data__ as JsonValue, hash) };
  }
  return normalizeResponse(item, hash);
}

/** The recording with ids/timestamps normalized; error bodies are kept verbatim. */
export function normalizeRecording(rec: RecordingFile, hash: string): RecordingFile {
  const r = rec.response;
  if (r.status !== undefined && Number(String(r.status)) >= 400) return rec;
  const body = Array.isArray(r.body) ? r.body.map((b) => normalizeItem(b, hash)) : normalizeItem(r.body, hash);
  return { ...rec, response: { ...r, body } };
}
