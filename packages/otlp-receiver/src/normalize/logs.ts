import type { Encoding, LogRecord } from "../model.js";
import { int32, nanos, obj, str, type WireDialect } from "../wire.js";
import { anyValue, attributes, eachItem, optionalId } from "./common.js";

export function normalizeLogs(request: unknown, dialect: WireDialect, encoding: Encoding): LogRecord[] {
  const logs: LogRecord[] = [];
  const keys = { resource: "resourceLogs", scope: "scopeLogs", items: "logRecords" };
  eachItem(request, keys, dialect, encoding, (raw, path, origin) => {
    const r = obj(raw, path);
    logs.push({
      ...origin,
      timeUnixNano: nanos(r.timeUnixNano, `${path}.timeUnixNano`),
      observedTimeUnixNano: nanos(r.observedTimeUnixNano, `${path}.observedTimeUnixNano`),
      severityNumber: int32(r.severityNumber, `${path}.severityNumber`),
      severityText: str(r.severityText, `${path}.severityText`),
      body: r.body === undefined || r.body === null ? undefined : anyValue(r.body, `${path}.body`, dialect),
      attributes: attributes(r.attributes, `${path}.attributes`, dialect),
      traceId: optionalId(r.traceId, `${path}.traceId`, dialect),
      spanId: optionalId(r.spanId, `${path}.spanId`, dialect),
      eventName: str(r.eventName, `${path}.eventName`),
    });
  });
  return logs;
}
