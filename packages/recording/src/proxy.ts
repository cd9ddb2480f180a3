/**
 * The recording proxy: {proxy}/{route}/<rest> is hashed like Llama Stack's recorder and answered
 * from recordings (replay), or forwarded to the route's target and recorded (record).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { Agent, stream as undiciStream } from "undici";
import { hashableBody, RequestBodyError } from "./request-body.js";
import { requestHash, isModelListPath, toolRequestHash } from "./hash.js";
import { isToolRequest, urlPath, type InferenceRequestRecord, type RecordingFile, type ResponseRecord } from "./format.js";
import { isJsonObject, parseJson, pyDumps, type JsonNumber, type JsonValue } from "./json.js";
import type { InferenceMode } from "./modes.js";
import { routePath, type ProviderRoute } from "./routes.js";
import { RecordingStore } from "./store.js";
import { combineModelLists, recordBody, recordItem, SseParser, wireBody } from "./response.js";
import { unwrapTyped } from "./format.js";
import { missMessage } from "./miss.js";
import { TrafficLog, type TrafficEvent } from "./traffic.js";

export const TEST_ID_HEADER = "x-llamastack-test-id";
/** Reserved first path segment for tool-call replay ({proxy}/__tools/<provider>/<tool_name>). */
export const TOOLS_SEGMENT = "__tools";

export interface RecordingProxy {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface RecordingProxyOptions {
  mode: InferenceMode;
  recordingsDir: string;
  providers: ProviderRoute[];
  port?: number;
  host?: string;
  /** NDJSON file (truncated at start) that gets one line per provider request: hit, miss, recorded or forwarded. */
  trafficLogPath?: string;
}

/** Headers never forwarded as-is (hop-by-hop), or never recorded (credentials are forwarded, not written). */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer", "proxy-connection", "proxy-authorization", "host", "content-length", "accept-encoding"]);
const SECRET_QUERY = /key|token|secret|signature|password|auth|credential/i;

interface Incoming {
  route: ProviderRoute;
  /** Path after the route segment, e.g. /v1/chat/completions. */
  rest: string;
  /** Query string without secrets (for request.url), and the full one (for forwarding). */
  safeQuery: string;
  query: string;
  testId: string | null;
  body: Buffer;
  contentType: string | undefined;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function errorBody(type: string, message: string, extra: Record<string, unknown> = {}): unknown {
  return { error: { type, message, ...extra } };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

/** The test id header; raw UTF-8 bytes arrive as latin1 in Node, so decode them back. */
function testIdOf(req: IncomingMessage): string | null {
  const h = req.headers[TEST_ID_HEADER];
  const v = Array.isArray(h) ? h[0] : h;
  if (!v) return null;
  return /[^\x00-\x7f]/.test(v) ? Buffer.from(v, "latin1").toString("utf8") : v;
}

function sanitizeQuery(query: string): string {
  if (!query) return "";
  const params = new URLSearchParams(query);
  for (const k of [...params.keys()]) if (SECRET_QUERY.test(k)) params.delete(k);
  const s = params.toString();
  return s ? `?${s}` : "";
}

function wireJson(v: JsonValue): string {
  return pyDumps(v, { compact: true });
}

function modelOf(body: JsonValue): string {
  return isJsonObject(body) && typeof body.model === "string" ? body.model : "";
}

/**
 * While recording: passes bytes to the client as they come (the chunks of one tick in one socket
 * write) and records the exchange when it ends or breaks.
 */
class ResponseTap extends Writable {
  private readonly chunks: Buffer[] = [];
  private done = false;
  private corked = false;

  constructor(private readonly res: ServerResponse, private readonly onDone: (bytes: Buffer, streamError?: string) => void) {
    super();
  }

  private finish(err?: Error | null): void {
    if (this.done) return;
    this.done = true;
    this.onDone(Buffer.concat(this.chunks), err ? err.message || String(err) : undefined);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.chunks.push(chunk);
    if (!this.corked) {
      this.corked = true;
      this.res.cork();
      process.nextTick(() => {
        this.corked = false;
        this.res.uncork();
      });
    }
    if (this.res.write(chunk)) cb();
    else this.res.once("drain", () => cb());
  }

  override _final(cb: (e?: Error | null) => void): void {
    // Recorded before the client's end, so a follow-up request already finds the file.
    try {
      this.finish();
    } catch (e) {
      return cb(e as Error);
    }
    this.res.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    if (err) {
      try {
        this.finish(err);
      } finally {
        this.res.destroy();
      }
    }
    cb(err);
  }
}

class ProxyHandler {
  private readonly routes = new Map<string, ProviderRoute>();
  private readonly store: RecordingStore | null;
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  private readonly traffic: TrafficLog | null;

  constructor(private readonly opts: RecordingProxyOptions) {
    for (const r of opts.providers) this.routes.set(r.name, r);
    this.store = opts.mode === "live" ? null : new RecordingStore(opts.recordingsDir);
    this.traffic = opts.trafficLogPath ? new TrafficLog(opts.trafficLogPath) : null;
  }

  private log(event: TrafficEvent): void {
    this.traffic?.append(event);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = q < 0 ? "" : raw.slice(q + 1);
    const seg = path.split("/")[1] ?? "";
    if (seg === TOOLS_SEGMENT) return this.replayTool(req, res, path);
    const route = this.routes.get(decodeURIComponent(seg));
    if (!route) {
      return sendJson(res, 404, errorBody("unknown_route", `No provider route "${seg}" on the recording proxy. Known routes: ${[...this.routes.keys()].join(", ") || "(none)"}; send requests to {proxy}/<route>/<path> or add the route (--route name=target[,recordedBase]).`));
    }
    const inc: Incoming = {
      route,
      rest: path.slice(seg.length + 1) || "/",
      query: query ? `?${query}` : "",
      safeQuery: sanitizeQuery(query),
      testId: testIdOf(req),
      body: await readBody(req),
      contentType: req.headers["content-type"],
    };
    const routed = routePath(route, inc.rest, inc.safeQuery);
    if (this.opts.mode === "live" || !this.store || !routed.recorded) {
      this.log({ test_id: inc.testId, outcome: "forwarded", hash: "", method: req.method ?? "GET", endpoint: inc.rest, model: "" });
      return this.forward(req, res, inc, null);
    }

    let hashedBody: JsonValue;
    try {
      hashedBody = hashableBody(inc.body, inc.contentType);
    } catch (e) {
      if (e instanceof RequestBodyError) return sendJson(res, 400, errorBody("invalid_request_body", e.message));
      throw e;
    }
    const url = routed.url;
    // Llama Stack's recorder records every provider call as POST; GET /v1/models included.
    const method = "POST";
    const hash = requestHash({ method, endpoint: urlPath(url), body: hashedBody, testId: inc.testId });
    const request: InferenceRequestRecord = { method, url, headers: {}, body: hashedBody, endpoint: inc.rest, model: modelOf(hashedBody) };

    const event = { test_id: inc.testId, hash, method, endpoint: inc.rest, model: request.model };
    if (this.opts.mode === "replay" || this.opts.mode === "record-if-missing") {
      const found = this.lookup(hash, inc);
      if (found) {
        this.log({ ...event, outcome: "hit", recording: found.rel });
        return this.replay(res, found.rec, inc.rest, found.rel);
      }
      if (this.opts.mode === "replay") {
        const miss = missMessage(this.store, { hash, testId: inc.testId, method, endpoint: inc.rest, model: request.model, body: hashedBody });
        this.log({ ...event, outcome: "miss", closest: miss.closest, message: miss.message });
        return sendJson(res, 500, errorBody("recording_not_found", miss.message, {
          hash, test_id: inc.testId, method, endpoint: inc.rest, url, model: request.model, closest: miss.closest, record_command: miss.command,
        }));
      }
    }
    this.log({ ...event, outcome: "recorded" });
    return this.forward(req, res, inc, { hash, request });
  }

  /** POST {proxy}/__tools/<provider>/<tool_name> with the kwargs as body: replays a tool recording. */
  private async replayTool(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const [, , provider = "", toolName = ""] = path.split("/").map(decodeURIComponent);
    const testId = testIdOf(req);
    let kwargs: JsonValue;
    try {
      kwargs = hashableBody(await readBody(req), "application/json");
    } catch (e) {
      return sendJson(res, 400, errorBody("invalid_request_body", (e as Error).message));
    }
    const hash = toolRequestHash({ provider, toolName, kwargs });
    const found = this.store?.find(hash, testId);
    const missText = `Tool recording not found for ${provider}.${toolName} (hash ${hash}, test id ${testId ?? "(none)"}). Tool calls are replay-only here: record them with Llama Stack's recorder or write the file (see README).`;
    this.log({ test_id: testId, hash, method: "POST", endpoint: path, model: "", outcome: found ? "hit" : "miss", ...(found ? { recording: found.rel } : { message: missText }) });
    if (!found) {
      return sendJson(res, this.store ? 500 : 501, errorBody("recording_not_found", missText, { hash, test_id: testId }));
    }
    const text = wireJson(unwrapTyped(found.rec.response.body));
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "x-llamastack-recording": found.rel });
    res.end(text);
  }

  private lookup(hash: string, inc: Incoming): { rec: RecordingFile; rel: string } | null {
    const store = this.store!;
    if (isModelListPath(inc.rest)) {
      const all = store.findModelLists(hash, inc.testId);
      const merged = combineModelLists(inc.rest, all.map((f) => f.rec));
      return merged && { rec: merged, rel: all.map((f) => f.rel).join(",") };
    }
    return store.find(hash, inc.testId);
  }

  private replay(res: ServerResponse, rec: RecordingFile, endpoint: string, rel: string): void {
    if (isToolRequest(rec.request)) {
      return sendJson(res, 500, errorBody("not_an_inference_recording", `Recording ${rel} is a tool recording and cannot answer an HTTP request`));
    }
    const r = rec.response;
    // Parsed losslessly, so numbers arrive as JsonNumber.
    const status = r.status === undefined ? 200 : Number(String((r.status as unknown as JsonNumber).text ?? r.status));
    const headers = { "x-llamastack-recording": rel };
    if (r.is_streaming && Array.isArray(r.body)) {
      const ndjson = endpoint.startsWith("/api/");
      res.writeHead(status, { ...headers, "content-type": ndjson ? "application/x-ndjson" : "text/event-stream", "cache-control": "no-cache" });
      for (const chunk of r.body) {
        const c = unwrapTyped(chunk);
        const text = typeof c === "string" ? c : wireJson(c);
        res.write(ndjson ? `${text}\n` : `data: ${text}\n\n`);
      }
      // A stream that broke while recording breaks again here, once the same chunks are out.
      if (r.stream_error !== undefined) return void res.write("", () => res.socket?.destroy());
      if (!ndjson) res.write("data: [DONE]\n\n");
      return void res.end();
    }
    const b = r.body;
    if (isJsonObject(b) && typeof b.__base64__ === "string") {
      const buf = Buffer.from(b.__base64__, "base64");
      res.writeHead(status, { ...headers, "content-type": r.content_type ?? "application/octet-stream", "content-length": buf.length });
      return void res.end(buf);
    }
    const text = wireJson(wireBody(endpoint, b));
    res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  private async forward(req: IncomingMessage, res: ServerResponse, inc: Incoming, rec: { hash: string; request: InferenceRequestRecord } | null): Promise<void> {
    const target = inc.route.target;
    if (!target) {
      return sendJson(res, 502, errorBody("no_target", `Provider route "${inc.route.name}" has no target URL, needed in ${this.opts.mode} mode: start the proxy with --route ${inc.route.name}=<url> (or ProviderRoute.target).`));
    }
    const headers: Record<string, string | string[]> = { "accept-encoding": "identity" };
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || HOP_BY_HOP.has(k) || k === TEST_ID_HEADER) continue;
      headers[k] = v;
    }
    const upstreamUrl = target.replace(/\/+$/, "") + inc.rest + inc.query;
    const abort = new AbortController();
    let clientGone = false;
    res.once("close", () => {
      if (res.writableEnded) return;
      clientGone = true;
      abort.abort();
    });
    let status = 0;
    let contentType = "";
    try {
      // undici.stream writes the provider's bytes straight into the client response as they arrive.
      await undiciStream(upstreamUrl, {
        method: (req.method ?? "GET") as "GET",
        headers,
        body: inc.body.length > 0 ? inc.body : undefined,
        dispatcher: this.agent,
        signal: abort.signal,
      }, ({ statusCode, headers: upstreamHeaders }) => {
        status = statusCode;
        contentType = String(upstreamHeaders["content-type"] ?? "");
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(upstreamHeaders)) {
          if (v === undefined || HOP_BY_HOP.has(k) || k === "content-encoding") continue;
          out[k] = v;
        }
        res.writeHead(statusCode, out);
        // Not recording: undici writes straight into the client response.
        if (!rec) return res;
        return new ResponseTap(res, (bytes, err) => {
          if (clientGone || !this.store) return;
          const response = this.recordedResponse(inc.rest, rec.hash, status, contentType, bytes, err);
          this.store.write(rec.hash, { test_id: inc.testId, request: rec.request, response, id_normalization_mapping: {} });
        });
      });
    } catch (e) {
      if (clientGone) return;
      if (!res.headersSent) {
        return sendJson(res, 502, errorBody("provider_unreachable", `Cannot reach provider "${inc.route.name}" at ${target} (${(e as Error).message}): start it or fix the route target.`));
      }
      // Broke mid-stream: the tap has recorded what arrived; the client sees the same break.
      res.destroy();
    }
  }

  private recordedResponse(endpoint: string, hash: string, status: number, contentType: string, bytes: Buffer, streamError: string | undefined): ResponseRecord {
    const extra: Partial<ResponseRecord> = {};
    if (status !== 200) extra.status = status;
    if (streamError !== undefined) extra.stream_error = streamError;
    const tryJson = (t: string): JsonValue => {
      try {
        return parseJson(t);
      } catch {
        return t;
      }
    };
    const item = (t: string): JsonValue => (status < 400 ? recordItem(endpoint, tryJson(t), hash) : tryJson(t));
    const ct = contentType.toLowerCase();
    if (ct.includes("text/event-stream")) {
      const p = new SseParser();
      const events = [...p.push(bytes.toString("utf8")), ...(streamError === undefined ? p.end() : [])];
      return { body: events.filter((d) => d !== "[DONE]").map(item), is_streaming: true, ...extra };
    }
    if (ct.includes("ndjson")) {
      const lines = bytes.toString("utf8").split("\n").filter((l) => l.trim() !== "");
      return { body: lines.map(item), is_streaming: true, ...extra };
    }
    if (ct.includes("json") || (ct === "" && bytes.length > 0 && /^\s*[[{]/.test(bytes.toString("utf8", 0, 64)))) {
      const parsed = tryJson(bytes.toString("utf8"));
      if (typeof parsed !== "string" || ct.includes("json")) {
        return { body: status < 400 && typeof parsed !== "string" ? recordBody(endpoint, parsed, hash) : parsed, is_streaming: false, ...extra };
      }
    }
    return { body: { __base64__: bytes.toString("base64") }, is_streaming: false, content_type: contentType || "application/octet-stream", ...extra };
  }

  async close(): Promise<void> {
    await this.agent.close();
    this.store?.close();
  }
}

/** Starts the proxy on host (default 127.0.0.1) and port (default: any free one). */
export async function startRecordingProxy(opts: RecordingProxyOptions): Promise<RecordingProxy> {
  const handler = new ProxyHandler(opts);
  const server = createServer((req, res) => {
    handler.handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody("proxy_error", `Recording proxy failed: ${(e as Error).message}`));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await handler.close();
    },
  };
}
