/**
 * Name and attributes of the per-request SERVER span, as OpenTelemetry's fastapi (asgi)
 * instrumentation emits them with the default, old-style HTTP semantic conventions: `http.method`,
 * `http.status_code`, `http.url`, ... rather than the stable `http.request.method` family.
 */
import type { SpanAttributes } from "./types.js";

export interface IncomingRequest {
  method: string;
  /** Request target as sent (path and query). */
  url: string;
  /** Route template in upstream's syntax (`/v1/files/{file_id}`); undefined when no route matched. */
  route: string | undefined;
  host: string | undefined;
  userAgent: string | undefined;
  httpVersion: string;
  localAddress: string | undefined;
  localPort: number | undefined;
  remoteAddress: string | undefined;
  remotePort: number | undefined;
}

/** `<METHOD> <route template>`, or the method alone when no route matched (a 404). */
export function serverSpanName(method: string, route: string | undefined): string {
  return route ? `${method} ${route}` : method;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function serverSpanAttributes(req: IncomingRequest): SpanAttributes {
  const queryAt = req.url.indexOf("?");
  // ASGI hands the instrumentation a percent-decoded path.
  const path = decoded(queryAt < 0 ? req.url : req.url.slice(0, queryAt));
  const query = queryAt < 0 ? "" : req.url.slice(queryAt + 1);
  const port = req.localPort;
  const serverHost = req.localAddress === undefined ? undefined : `${req.localAddress}${port !== undefined && port !== 80 ? `:${port}` : ""}`;
  const urlHost = req.host ?? serverHost ?? "";
  const attributes: SpanAttributes = {
    "http.scheme": "http",
    "http.flavor": req.httpVersion,
    "http.target": path,
    "http.url": `http://${urlHost}${path}${query ? `?${decoded(query)}` : ""}`,
    "http.method": req.method,
  };
  if (serverHost !== undefined) attributes["http.host"] = serverHost;
  if (port !== undefined) attributes["net.host.port"] = port;
  if (req.host !== undefined) attributes["http.server_name"] = req.host;
  if (req.userAgent !== undefined) attributes["http.user_agent"] = req.userAgent;
  if (req.remoteAddress !== undefined) attributes["net.peer.ip"] = req.remoteAddress;
  if (req.remotePort !== undefined) attributes["net.peer.port"] = req.remotePort;
  if (req.route !== undefined) attributes["http.route"] = req.route;
  return attributes;
}
