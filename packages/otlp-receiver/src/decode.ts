import { OtlpRequestError, OtlpShapeError } from "./errors.js";
import { decodeJson, jsonDialect } from "./json.js";
import type { Batch, Encoding, Signal } from "./model.js";
import { normalizeLogs } from "./normalize/logs.js";
import { normalizeMetrics } from "./normalize/metrics.js";
import { normalizeTraces } from "./normalize/traces.js";
import { decodeProtobuf, protobufDialect } from "./protobuf.js";

/** Maps a Content-Type header to the OTLP encoding it names; parameters such as charset are ignored. */
export function encodingOf(contentType: string | undefined): Encoding {
  const mediaType = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType === "application/x-protobuf") return "protobuf";
  if (mediaType === "application/json") return "json";
  throw new OtlpRequestError(415, `unsupported Content-Type "${mediaType}" (expected application/x-protobuf or application/json)`);
}

/** Decodes one export request body into the normalized model. */
export function decodeRequest(signal: Signal, encoding: Encoding, body: Uint8Array): Batch {
  const request = encoding === "protobuf" ? decodeProtobuf(signal, body) : decodeJson(body);
  const dialect = encoding === "protobuf" ? protobufDialect : jsonDialect;
  const batch: Batch = { spans: [], metrics: [], logs: [] };
  try {
    if (signal === "traces") batch.spans = normalizeTraces(request, dialect, encoding);
    if (signal === "metrics") batch.metrics = normalizeMetrics(request, dialect, encoding);
    if (signal === "logs") batch.logs = normalizeLogs(request, dialect, encoding);
  } catch (err) {
    if (err instanceof OtlpShapeError) throw new OtlpRequestError(400, `not an OTLP ${signal} export request: ${err.message}`);
    throw err;
  }
  return batch;
}
