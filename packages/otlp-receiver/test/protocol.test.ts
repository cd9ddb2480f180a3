import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver } from "../src/index.js";

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver({ maxBodyBytes: 1024 });
});
afterAll(() => receiver.close());

function post(path: string, body: Uint8Array | string, headers: Record<string, string>) {
  return fetch(`${receiver.url}${path}`, { method: "POST", body, headers });
}

const PROTO = { "content-type": "application/x-protobuf" };
const JSON_TYPE = { "content-type": "application/json" };

describe("answers", () => {
  it("an empty protobuf export with 200 and an empty protobuf response", async () => {
    const res = await post("/v1/traces", new Uint8Array(), PROTO);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-protobuf");
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it("a JSON export with 200 and {} (charset parameter ignored)", async () => {
    const res = await post("/v1/logs", JSON.stringify({ resourceLogs: [] }), { "content-type": "application/json; charset=utf-8" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("{}");
  });

  it("hand-written OTLP/JSON with hex ids, string int64 and base64 bytes", async () => {
    const request = {
      resourceSpans: [{
        resource: { attributes: [{ key: "service.name", value: { stringValue: "hand" } }] },
        scopeSpans: [{
          scope: { name: "s" },
          spans: [{
            traceId: "5B8EFFF798038103D269B633813FC60C", spanId: "EEE19B7EC3C1B174", name: "n", kind: 2,
            startTimeUnixNano: "1544712660000000000", endTimeUnixNano: 1544712661000000000,
            attributes: [{ key: "blob", value: { bytesValue: "AAH+" } }, { key: "big", value: { intValue: "9007199254740993" } }],
          }],
        }],
      }],
    };
    expect((await post("/v1/traces", JSON.stringify(request), JSON_TYPE)).status).toBe(200);
    const [span] = receiver.spansOfTrace("5b8efff798038103d269b633813fc60c");
    expect(span).toMatchObject({ spanId: "eee19b7ec3c1b174", kind: "server", startTimeUnixNano: "1544712660000000000", encoding: "json" });
    expect(span!.attributes).toEqual({ blob: { type: "bytes", value: new Uint8Array([0, 1, 254]) }, big: { type: "int", value: 9007199254740993n } });
  });

  it("hand-written OTLP/JSON metrics: a summary (which the JS SDK never emits) and an int gauge", async () => {
    const point = { timeUnixNano: "2", attributes: [{ key: "q", value: { stringValue: "p" } }] };
    const request = {
      resourceMetrics: [{
        scopeMetrics: [{
          metrics: [
            { name: "rtt", summary: { dataPoints: [{ ...point, count: "3", sum: 9.5, quantileValues: [{ quantile: 0.5, value: 3 }, { quantile: 1, value: 4.5 }] }] } },
            { name: "workers", gauge: { dataPoints: [{ ...point, asInt: "8" }] } },
          ],
        }],
      }],
    };
    expect((await post("/v1/metrics", JSON.stringify(request), JSON_TYPE)).status).toBe(200);
    const [summary, gauge] = receiver.metrics();
    expect(summary).toMatchObject({ name: "rtt", type: "summary", points: [{ count: 3, sum: 9.5, quantiles: [{ quantile: 0.5, value: 3 }, { quantile: 1, value: 4.5 }] }] });
    expect(gauge).toMatchObject({ name: "workers", type: "gauge", points: [{ value: { type: "int", value: 8n }, attributes: { q: { type: "string", value: "p" } } }] });
    receiver.clear();
  });
});

describe("refuses", () => {
  it.each([
    ["garbage protobuf", "/v1/traces", Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), PROTO, 400, /not a protobuf ExportTraceServiceRequest/],
    ["invalid JSON", "/v1/metrics", "{not json", JSON_TYPE, 400, /not valid JSON/],
    ["JSON of the wrong shape", "/v1/logs", JSON.stringify({ resourceLogs: {} }), JSON_TYPE, 400, /resourceLogs: expected an array/],
    ["a bad id in OTLP/JSON", "/v1/traces", JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "xyz" }] }] }] }), JSON_TYPE, 400, /traceId: expected a hex string/],
    ["bad gzip", "/v1/traces", "not gzip at all", { ...PROTO, "content-encoding": "gzip" }, 400, /not valid gzip/],
    ["text/plain", "/v1/traces", "hello", { "content-type": "text/plain" }, 415, /unsupported Content-Type "text\/plain"/],
    ["an unknown content encoding", "/v1/traces", "x", { ...PROTO, "content-encoding": "br" }, 415, /unsupported Content-Encoding "br"/],
    ["a body over the limit", "/v1/traces", new Uint8Array(2048), PROTO, 413, /limit of 1024 bytes/],
    ["a gzipped body inflating over the limit", "/v1/traces", gzipSync(new Uint8Array(4096)), { ...PROTO, "content-encoding": "gzip" }, 413, /limit of 1024 bytes/],
    ["an unknown path", "/v1/profiles", "x", PROTO, 404, /no OTLP endpoint at \/v1\/profiles/],
  ] as const)("%s", async (_name, path, body, headers, status, message) => {
    const res = await post(path, body, headers);
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text).toMatch(message);
    expect(text.trimEnd()).not.toContain("\n");
  });

  it("a chunked body over the limit with 413, reading it to the end", async () => {
    const chunk = new Uint8Array(600);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(`${receiver.url}/v1/logs`, { method: "POST", body, headers: PROTO, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("GET with 405 and Allow: POST", async () => {
    const res = await fetch(`${receiver.url}/v1/traces`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await res.text()).toMatch(/GET is not allowed on \/v1\/traces/);
  });

  it("and stores nothing from refused requests", () => {
    expect(receiver.metrics()).toEqual([]);
    expect(receiver.logs()).toEqual([]);
  });
});
