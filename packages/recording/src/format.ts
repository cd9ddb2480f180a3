/** The recording file format, shared with Llama Stack's Python recorder. */
import { createHash } from "node:crypto";
import { compareCodePoints, isJsonObject, type JsonObject, type JsonValue } from "./json.js";
import { fileProcessorRequestHash, httpRequestHash, isModelListPath, requestHash, toolRequestHash } from "./hash.js";
import { DEFAULT_RULES, type RecorderRules } from "./recorder-rules.js";

export interface InferenceRequestRecord {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: JsonValue;
  /** Provider API path the client called (e.g. /v1/chat/completions). */
  endpoint: string;
  model: string;
}

export interface ToolRequestRecord {
  test_id: string | null;
  provider: string;
  tool_name: string;
  kwargs: JsonValue;
}

/** A raw HTTP call the recorder captured below the provider client (0.6+: rerank, Messages, Interactions). */
export interface HttpRequestRecord {
  test_id: string | null;
  url: string;
  method: string;
  payload: JsonValue;
}

/** A file-processor call (recorded during 0.8's development). */
export interface FileProcessorRequestRecord {
  test_id: string | null;
  provider: string;
  api: "file_processors";
  file_id: string | null;
}

export interface ResponseRecord {
  /** One body, or the list of chunks when streaming; typed chunks use {__type__, __data__}. */
  body: JsonValue;
  is_streaming: boolean;
  /** HTTP status when it was not 200 (extension; absent means 200). */
  status?: number;
  /** Content type of a non-JSON body stored as {__base64__} (extension). */
  content_type?: string;
  /** Set when the provider's stream broke after the recorded chunks (extension). */
  stream_error?: string;
}

export interface RecordingFile {
  test_id: string | null;
  request: InferenceRequestRecord | ToolRequestRecord;
  response: ResponseRecord;
  id_normalization_mapping?: Record<string, string>;
}

/** Every request kind some upstream recorder wrote; this project's proxy writes only the first two. */
export type StoredRequest = InferenceRequestRecord | ToolRequestRecord | HttpRequestRecord | FileProcessorRequestRecord;

export function isToolRequest(r: StoredRequest): r is ToolRequestRecord {
  return "tool_name" in r && "provider" in r;
}

export function isHttpRequest(r: StoredRequest): r is HttpRequestRecord {
  return "payload" in r && "url" in r;
}

export function isFileProcessorRequest(r: StoredRequest): r is FileProcessorRequestRecord {
  return (r as { api?: unknown }).api === "file_processors";
}

/** A request kind the rules do not know (e.g. an HTTP recording checked with 0.4's rules). */
export class UnsupportedRecordingKindError extends Error {
  constructor(kind: string, rules: RecorderRules) {
    super(`${kind} recordings are not written by recorder ${rules.version}: verify with --recorder latest`);
    this.name = "UnsupportedRecordingKindError";
  }
}

/** Path component of a URL the way Python's urlparse finds it (no percent-encoding, no resolution). */
export function urlPath(url: string): string {
  let rest = url;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  if (rest.startsWith("//")) {
    const end = rest.slice(2).search(/[/?#]/);
    rest = end < 0 ? "" : rest.slice(2 + end);
  }
  const q = rest.search(/[?#]/);
  return q < 0 ? rest : rest.slice(0, q);
}

/** Host of a URL as Python's urlparse gives its netloc ("" when there is none). */
export function urlHost(url: string): string {
  const m = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?\/\/([^/?#]*)/.exec(url);
  return m?.[1] ?? "";
}

/** The hash a recording's file name must carry under `rules`, recomputed from its stored request. */
export function hashOfRecording(rec: { test_id?: string | null; request: StoredRequest }, rules: RecorderRules = DEFAULT_RULES): string {
  const r = rec.request;
  const testId = rec.test_id ?? null;
  if (isToolRequest(r)) return toolRequestHash({ provider: r.provider, toolName: r.tool_name, kwargs: r.kwargs });
  if (isFileProcessorRequest(r)) {
    if (!rules.fileProcessorRecordings) throw new UnsupportedRecordingKindError("file_processors", rules);
    return fileProcessorRequestHash({ fileId: r.file_id, testId });
  }
  if (isHttpRequest(r)) {
    if (!rules.httpRecordings) throw new UnsupportedRecordingKindError("HTTP (url, method, payload)", rules);
    return httpRequestHash({ url: r.url, method: r.method, payload: r.payload, testId }, rules);
  }
  if (typeof r.url !== "string" || typeof r.method !== "string") throw new TypeError("request has neither url and method, tool_name, payload nor api");
  return requestHash({ method: r.method, endpoint: urlPath(r.url), host: urlHost(r.url), body: r.body, testId }, rules);
}

/** File name → request hash (plain `<hash>.json` or model-list `models-<hash>-<digest>.json`). */
export function hashFromFileName(name: string): string | null {
  const m = /^(?:models-([0-9a-f]+)-[0-9a-f]+|([0-9a-f]+))\.json$/.exec(name);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

export function unwrapTyped(v: JsonValue): JsonValue {
  return isJsonObject(v) && "__type__" in v && "__data__" in v ? (v.__data__ as JsonValue) : v;
}

/** Models in a model-list response body (OpenAI: list of models; Ollama: {models: [...]}). */
export function modelListItems(body: JsonValue): JsonObject[] {
  const b = unwrapTyped(body);
  const items = isJsonObject(b) && Array.isArray(b.models) ? b.models : Array.isArray(b) ? b : [];
  return items.map(unwrapTyped).filter(isJsonObject);
}

export function modelKey(endpoint: string, m: JsonObject): string {
  return String(endpoint === "/api/tags" ? m.model : m.id);
}

/** Short digest of the set of model ids, distinguishing model lists from different servers. */
export function modelIdentifiersDigest(endpoint: string, body: JsonValue): string {
  const ids = [...new Set(modelListItems(body).map((m) => modelKey(endpoint, m)))].sort(compareCodePoints);
  return createHash("sha256").update(ids.join("|"), "utf8").digest("hex").slice(0, 8);
}

export function isModelListRecording(rec: RecordingFile): boolean {
  return !isToolRequest(rec.request) && isModelListPath(rec.request.endpoint);
}

export function recordingFileName(hash: string, rec: RecordingFile): string {
  if (isModelListRecording(rec)) {
    return `models-${hash}-${modelIdentifiersDigest((rec.request as InferenceRequestRecord).endpoint, rec.response.body)}.json`;
  }
  return `${hash}.json`;
}

/** Folder for a test id as Llama Stack derives it: tests/integration/<api>/test_x.py::t → <api>; none → common. */
export function apiFolderForTestId(testId: string | null): string {
  if (!testId) return "common";
  const file = testId.split("::")[0] ?? "";
  const dir = file.split("/").slice(0, -1);
  const i = dir.findIndex((p, k) => p === "tests" && dir[k + 1] === "integration");
  const rel = (i >= 0 ? dir.slice(i + 2) : dir).filter((p) => p !== "" && p !== "." && p !== "..");
  return rel.length > 0 ? rel.join("/") : "common";
}
