import type { Encoding, Span, SpanKind, StatusCode } from "../model.js";
import { list, nanos, obj, str, type WireDialect } from "../wire.js";
import { attributes, eachItem, enumName, optionalId } from "./common.js";

const KINDS: SpanKind[] = ["unspecified", "internal", "server", "client", "producer", "consumer"];
const STATUS_CODES: StatusCode[] = ["unset", "ok", "error"];

export function normalizeTraces(request: unknown, dialect: WireDialect, encoding: Encoding): Span[] {
  const spans: Span[] = [];
  const keys = { resource: "resourceSpans", scope: "scopeSpans", items: "spans" };
  eachItem(request, keys, dialect, encoding, (raw, path, origin) => {
    const s = obj(raw, path);
    const status = obj(s.status, `${path}.status`);
    spans.push({
      ...origin,
      traceId: dialect.id(s.traceId, `${path}.traceId`),
      spanId: dialect.id(s.spanId, `${path}.spanId`),
      parentSpanId: optionalId(s.parentSpanId, `${path}.parentSpanId`, dialect),
      traceState: str(s.traceState, `${path}.traceState`),
      name: str(s.name, `${path}.name`),
      kind: enumName(KINDS, s.kind, `${path}.kind`),
      startTimeUnixNano: nanos(s.startTimeUnixNano, `${path}.startTimeUnixNano`),
      endTimeUnixNano: nanos(s.endTimeUnixNano, `${path}.endTimeUnixNano`),
      attributes: attributes(s.attributes, `${path}.attributes`, dialect),
      events: list(s.events, `${path}.events`).map((e, i) => {
        const event = obj(e, `${path}.events[${i}]`);
        return {
          name: str(event.name, `${path}.events[${i}].name`),
          timeUnixNano: nanos(event.timeUnixNano, `${path}.events[${i}].timeUnixNano`),
          attributes: attributes(event.attributes, `${path}.events[${i}].attributes`, dialect),
        };
      }),
      links: list(s.links, `${path}.links`).map((l, i) => {
        const link = obj(l, `${path}.links[${i}]`);
        return {
          traceId: dialect.id(link.traceId, `${path}.links[${i}].traceId`),
          spanId: dialect.id(link.spanId, `${path}.links[${i}].spanId`),
          traceState: str(link.traceState, `${path}.links[${i}].traceState`),
          attributes: attributes(link.attributes, `${path}.links[${i}].attributes`, dialect),
        };
      }),
      status: { code: enumName(STATUS_CODES, status.code, `${path}.status.code`), message: str(status.message, `${path}.status.message`) },
    });
  });
  return spans;
}
