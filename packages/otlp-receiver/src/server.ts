import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "./body.js";
import { decodeRequest, encodingOf } from "./decode.js";
import { OtlpRequestError } from "./errors.js";
import type { Encoding, LogRecord, Metric, Signal, Span } from "./model.js";
import { TelemetryStore, type Received, type WaitOptions } from "./store.js";

export interface OtlpReceiverOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Largest accepted body, compressed or not; default 16 MiB. */
  maxBodyBytes?: number;
}

export interface OtlpReceiver {
  /** Base URL, e.g. http://127.0.0.1:4318; exporters append /v1/traces etc. */
  readonly url: string;
  spans(): Span[];
  metrics(): Metric[];
  logs(): LogRecord[];
  spansOfTrace(traceIdHex: string): Span[];
  waitFor<T>(predicate: (received: Received) => T | undefined | null | false, options?: WaitOptions): Promise<T>;
  clear(): void;
  close(): Promise<void>;
}

const PATHS: Record<string, Signal> = { "/v1/traces": "traces", "/v1/metrics": "metrics", "/v1/logs": "logs" };
const DEFAULT_MAX_BODY = 16 * 1024 * 1024;

/** An empty Export*ServiceResponse: a zero-length protobuf message or an empty JSON object. */
function sendSuccess(res: ServerResponse, encoding: Encoding): void {
  if (encoding === "protobuf") res.writeHead(200, { "content-type": "application/x-protobuf", "content-length": 0 }).end();
  else res.writeHead(200, { "content-type": "application/json" }).end("{}");
}

function sendError(res: ServerResponse, err: OtlpRequestError, allow?: string): void {
  const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8" };
  if (allow) headers.allow = allow;
  // One line, so a failing exporter's log shows the whole reason.
  res.writeHead(err.status, headers).end(err.message.replace(/\s+/g, " ") + "\n");
}

async function handle(req: IncomingMessage, res: ServerResponse, store: TelemetryStore, maxBodyBytes: number): Promise<void> {
  const path = new URL(req.url ?? "/", "http://receiver").pathname;
  const signal = PATHS[path];
  if (!signal) throw new OtlpRequestError(404, `no OTLP endpoint at ${path} (expected /v1/traces, /v1/metrics or /v1/logs)`);
  if (req.method !== "POST") throw new OtlpRequestError(405, `${req.method} is not allowed on ${path} (use POST)`);
  const encoding = encodingOf(req.headers["content-type"]);
  const body = await readBody(req, maxBodyBytes);
  store.add(decodeRequest(signal, encoding, body));
  sendSuccess(res, encoding);
}

export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const store = new TelemetryStore();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const server = createServer((req, res) => {
    handle(req, res, store, maxBodyBytes).catch((err: unknown) => {
      const known = err instanceof OtlpRequestError ? err : new OtlpRequestError(500, `receiver failed: ${String(err)}`);
      sendError(res, known, known.status === 405 ? "POST" : undefined);
      // Unread body bytes of a refused request must not keep the connection busy.
      if (!req.complete) req.resume();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => [...store.spans],
    metrics: () => [...store.metrics],
    logs: () => [...store.logs],
    spansOfTrace: (traceIdHex) => store.spans.filter((s) => s.traceId === traceIdHex.toLowerCase()),
    waitFor: (predicate, waitOptions) => store.waitFor(predicate, waitOptions),
    clear: () => store.clear(),
    close: async () => {
      store.rejectWaiters(new Error("the OTLP receiver was closed"));
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
