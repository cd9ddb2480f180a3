/**
 * The recording proxy: {proxy}/{route}/<rest> is hashed like Llama Stack's recorder and answered
 * from recordings (replay), or forwarded to the route's target and recorded (record).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, type Dispatcher } from "undici";
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
/**
 * Optional first path segment `~<tag>` ({proxy}/~<tag>/<route>/...): names the traffic log of the
 * client behind it, so one proxy can serve several stacks, each with its own log (trafficLogPathFor).
 */
export const TAG_PREFIX = "~";
const TAG = /^[A-Za-z0-9_.-]{1,64}$/;

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
  /**
   * The traffic log of requests under `{proxy}/~<tag>/`, appended to (the caller empties it when its
   * client starts); without it tagged requests go to trafficLogPath.
   */
  trafficLogPathFor?: (tag: string) => string;
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

/** A recorded answer ready to send: status, headers, the body's frames, and whether it breaks after them. */
interface PreparedReplay {
  status: number;
  headers: Record<string, string>;
  frames: (string | Buffer)[];
  breaks: boolean;
}

class ProxyHandler {
  private readonly routes = new Map<string, ProviderRoute>();
  private readonly store: RecordingStore | null;
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  private readonly targets = new Map<string, { origin: string; basePath: string }>();
  private readonly prepared = new Map<string, { rel: string; answer: PreparedReplay }>();
  private readonly traffic: TrafficLog | null;
  private readonly taggedTraffic = new Map<string, TrafficLog>();

  constructor(private readonly opts: RecordingProxyOptions) {
    for (const r of opts.providers) this.routes.set(r.name, r);
    this.store = opts.mode === "live" ? null : new RecordingStore(opts.recordingsDir);
    this.traffic = opts.trafficLogPath ? new TrafficLog(opts.trafficLogPath) : null;
  }

  /** The traffic log of a request's tag (opened for appending on first use), else the proxy's own. */
  private trafficOf(tag: string | null): TrafficLog | null {
    if (tag === null || !this.opts.trafficLogPathFor) return this.traffic;
    let log = this.taggedTraffic.get(tag);
    if (!log) this.taggedTraffic.set(tag, (log = new TrafficLog(this.opts.trafficLogPathFor(tag), { append: true })));
    return log;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    let path = q < 0 ? raw : raw.slice(0, q);
    const query = q < 0 ? "" : raw.slice(q + 1);
    let seg = path.split("/")[1] ?? "";
    let tag: string | null = null;
    if (seg.startsWith(TAG_PREFIX)) {
      tag = decodeURIComponent(seg.slice(TAG_PREFIX.length));
      if (!TAG.test(tag)) return sendJson(res, 400, errorBody("invalid_tag", `Tag "${tag}" in ${path}: a tag is 1-64 letters, digits, '_', '.' or '-' ({proxy}/~<tag>/<route>/<path>).`));
      path = path.slice(seg.length + 1) || "/";
      seg = path.split("/")[1] ?? "";
    }
    const traffic = this.trafficOf(tag);
    const log = (event: TrafficEvent) => traffic?.append(event);
    if (seg === TOOLS_SEGMENT) return this.replayTool(req, res, path, log);
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
      log({ test_id: inc.testId, outcome: "forwarded", hash: "", method: req.method ?? "GET", endpoint: inc.rest, model: "" });
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
      // In replay nothing writes recordings, so an answer computed once serves every repeat of the request.
      const key = this.opts.mode === "replay" ? `${hash}\n${inc.testId ?? ""}\n${inc.rest}` : null;
      const cached = key === null ? undefined : this.prepared.get(key);
      if (cached) {
        log({ ...event, outcome: "hit", recording: cached.rel });
        return this.replay(res, cached.answer);
      }
      const found = this.lookup(hash, inc);
      if (found) {
        const answer = this.prepare(found.rec, inc.rest, found.rel);
        if (key !== null) this.prepared.set(key, { rel: found.rel, answer });
        log({ ...event, outcome: "hit", recording: found.rel });
        return this.replay(res, answer);
      }
      if (this.opts.mode === "replay") {
        const miss = missMessage(this.store, { hash, testId: inc.testId, method, endpoint: inc.rest, model: request.model, body: hashedBody });
        log({ ...event, outcome: "miss", closest: miss.closest, message: miss.message });
        return sendJson(res, 500, errorBody("recording_not_found", miss.message, {
          hash, test_id: inc.testId, method, endpoint: inc.rest, url, model: request.model, closest: miss.closest, record_command: miss.command,
        }));
      }
    }
    log({ ...event, outcome: "recorded" });
    return this.forward(req, res, inc, { hash, request });
  }

  /** POST {proxy}/__tools/<provider>/<tool_name> with the kwargs as body: replays a tool recording. */
  private async replayTool(req: IncomingMessage, res: ServerResponse, path: string, log: (event: TrafficEvent) => void): Promise<void> {
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
    log({ test_id: testId, hash, method: "POST", endpoint: path, model: "", outcome: found ? "hit" : "miss", ...(found ? { recording: found.rel } : { message: missText }) });
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

  /** The bytes a recording answers with, computed once per recording in replay mode (see `prepared`). */
  private prepare(rec: RecordingFile, endpoint: string, rel: string): PreparedReplay {
    if (isToolRequest(rec.request)) {
      const text = JSON.stringify(errorBody("not_an_inference_recording", `Recording ${rel} is a tool recording and cannot answer an HTTP request`));
      return { status: 500, headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) }, frames: [text], breaks: false };
    }
    const r = rec.response;
    // Parsed losslessly, so numbers arrive as JsonNumber.
    const status = r.status === undefined ? 200 : Number(String((r.status as unknown as JsonNumber).text ?? r.status));
    const headers = { "x-llamastack-recording": rel };
    if (r.is_streaming && Array.isArray(r.body)) {
      const ndjson = endpoint.startsWith("/api/");
      const frames = r.body.map((chunk) => {
        const c = unwrapTyped(chunk);
        const text = typeof c === "string" ? c : wireJson(c);
        return ndjson ? `${text}\n` : `data: ${text}\n\n`;
      });
      // A stream that broke while recording breaks again here, once the same chunks are out.
      const breaks = r.stream_error !== undefined;
      if (!breaks && !ndjson) frames.push("data: [DONE]\n\n");
      return { status, headers: { ...headers, "content-type": ndjson ? "application/x-ndjson" : "text/event-stream", "cache-control": "no-cache" }, frames, breaks };
    }
    const b = r.body;
    if (isJsonObject(b) && typeof b.__base64__ === "string") {
      const buf = Buffer.from(b.__base64__, "base64");
      return { status, headers: { ...headers, "content-type": r.content_type ?? "application/octet-stream", "content-length": String(buf.length) }, frames: [buf], breaks: false };
    }
    const text = wireJson(wireBody(endpoint, b));
    return { status, headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) }, frames: [text], breaks: false };
  }

  private replay(res: ServerResponse, p: PreparedReplay): void {
    res.writeHead(p.status, p.headers);
    if (p.frames.length === 1 && !p.breaks) return void res.end(p.frames[0]);
    for (const frame of p.frames) res.write(frame);
    if (p.breaks) return void res.write("", () => res.socket?.destroy());
    res.end();
  }

  /** A route's target split once into what the agent needs: origin and base path. */
  private targetOf(route: ProviderRoute): { origin: string; basePath: string } | null {
    if (!route.target) return null;
    let parsed = this.targets.get(route.target);
    if (!parsed) {
      const url = new URL(route.target);
      parsed = { origin: url.origin, basePath: url.pathname.replace(/\/+$/, "") };
      this.targets.set(route.target, parsed);
    }
    return parsed;
  }

  /**
   * Sends the request to the route's target through the agent's dispatch API and writes the provider's
   * bytes into the client response as they arrive (paused while the client is not draining). When
   * recording, the bytes are kept and the exchange is written before the client's response ends, so a
   * follow-up request already finds the file; a break mid-stream is recorded and passed on as a break.
   */
  private forward(req: IncomingMessage, res: ServerResponse, inc: Incoming, rec: { hash: string; request: InferenceRequestRecord } | null): Promise<void> {
    const target = this.targetOf(inc.route);
    if (!target) {
      sendJson(res, 502, errorBody("no_target", `Provider route "${inc.route.name}" has no target URL, needed in ${this.opts.mode} mode: start the proxy with --route ${inc.route.name}=<url> (or ProviderRoute.target).`));
      return Promise.resolve();
    }
    const headers: Record<string, string | string[]> = { "accept-encoding": "identity" };
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || HOP_BY_HOP.has(k) || k === TEST_ID_HEADER) continue;
      headers[k] = v;
    }
    const chunks: Buffer[] | null = rec ? [] : null;
    let status = 0;
    let contentType = "";
    const record = (streamError?: string) => {
      if (!rec || !chunks || !this.store) return;
      const response = this.recordedResponse(inc.rest, rec.hash, status, contentType, Buffer.concat(chunks), streamError);
      this.store.write(rec.hash, { test_id: inc.testId, request: rec.request, response, id_normalization_mapping: {} });
    };
    return new Promise<void>((resolve) => {
      let clientGone = false;
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(controller) {
          res.once("close", () => {
            if (res.writableEnded) return;
            clientGone = true;
            controller.abort(new Error("client closed the connection"));
          });
        },
        onResponseStart(_controller, statusCode, upstreamHeaders) {
          status = statusCode;
          contentType = String(upstreamHeaders["content-type"] ?? "");
          const out: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(upstreamHeaders)) {
            if (v === undefined || HOP_BY_HOP.has(k) || k === "content-encoding") continue;
            out[k] = v;
          }
          res.writeHead(statusCode, out);
        },
        onResponseData(controller, chunk) {
          chunks?.push(chunk);
          if (!res.write(chunk)) {
            controller.pause();
            res.once("drain", () => controller.resume());
          }
        },
        onResponseEnd: () => {
          resolve();
          try {
            if (!clientGone) record();
          } catch {
            // Not recorded: the client must not take the answer for a recorded one.
            return void res.destroy();
          }
          res.end();
        },
        onResponseError: (_controller, err) => {
          if (clientGone) return resolve();
          if (!res.headersSent) {
            sendJson(res, 502, errorBody("provider_unreachable", `Cannot reach provider "${inc.route.name}" at ${inc.route.target} (${err.message}): start it or fix the route target.`));
            return resolve();
          }
          // Broke mid-stream: record what arrived; the client sees the same break.
          try {
            record(err.message || String(err));
          } finally {
            res.destroy();
            resolve();
          }
        },
      };
      this.agent.dispatch(
        {
          origin: target.origin,
          path: target.basePath + inc.rest + inc.query,
          method: (req.method ?? "GET") as Dispatcher.HttpMethod,
          headers,
          body: inc.body.length > 0 ? inc.body : undefined,
        },
        handler,
      );
    });
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
