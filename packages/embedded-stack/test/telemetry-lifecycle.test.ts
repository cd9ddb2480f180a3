/** Telemetry on and off, both OTLP encodings, bad settings, and a collector that is not there. */
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startEmbeddedStack } from "../src/index.js";
import { startFakeProvider } from "./server-fake-provider.js";
import { postJson, startHarness } from "./server-harness.js";
import { newTraceParent, only, startTelemetryHarness, telemetryEnv, traceOf } from "./telemetry-harness.js";

const CHAT = { model: "llama-cpp/tiny-random-llama", messages: [{ role: "user", content: "hi" }] };

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("telemetry switch", () => {
  it("is off without OTEL_EXPORTER_OTLP_ENDPOINT: the provider sees no traceparent, even when the client sent one", async () => {
    const h = await startHarness();
    try {
      const res = await postJson(`${h.url}/v1/chat/completions`, CHAT, { traceparent: newTraceParent().header });
      expect(res.status).toBe(200);
      const sent = h.provider.requests.find((r) => r.path === "/v1/chat/completions");
      expect(sent?.headers.traceparent).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  it("exports OTLP/JSON when OTEL_EXPORTER_OTLP_PROTOCOL=http/json", async () => {
    const h = await startTelemetryHarness({ otel: { OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" } });
    try {
      const tp = newTraceParent();
      expect((await postJson(`${h.url}/v1/chat/completions`, CHAT, { traceparent: tp.header })).status).toBe(200);
      const spans = await traceOf(h.receiver, tp.traceId, ["POST /v1/chat/completions", "chat tiny-random-llama"]);
      expect(only(spans, "chat tiny-random-llama").encoding).toBe("json");
      const metric = await h.receiver.waitFor((r) => r.metrics.find((m) => m.name === "gen_ai.client.token.usage"), { description: "the token usage metric" });
      expect(metric.encoding).toBe("json");
    } finally {
      await h.close();
    }
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, /OTEL_EXPORTER_OTLP_PROTOCOL='grpc' is not valid: expected 'http\/protobuf' or 'http\/json'/],
    [{ OTEL_BSP_SCHEDULE_DELAY: "soon" }, /OTEL_BSP_SCHEDULE_DELAY='soon' is not valid: expected a whole number of milliseconds/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "localhost:4318" }, /OTEL_EXPORTER_OTLP_ENDPOINT='localhost:4318' is not valid: expected an http/],
  ])("refuses to start on a bad setting %o, naming it", async (bad, message) => {
    const dataDir = mkdtempSync(join(tmpdir(), "embedded-stack-otel-"));
    try {
      await expect(startEmbeddedStack({ port: 0, dataDir, env: { ...telemetryEnv("http://127.0.0.1:1"), ...bad } })).rejects.toThrow(message);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** A collector that accepts connections and never answers; returns its URL and a stop function. */
async function silentCollector(): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.each([
  ["nothing listens on its port", async () => ({ url: `http://127.0.0.1:${await closedPort()}`, stop: async () => undefined })],
  ["it accepts connections and never answers", silentCollector],
])("a collector where %s", (_case, start) => {
  // 10 s bounds a hang; the stack's own bound is the 500 ms export timeout (exports retry within it, then are dropped).
  it("neither fails nor stalls requests, and close still returns", { timeout: 10_000 }, async () => {
    const collector = await start();
    const provider = await startFakeProvider();
    const dataDir = mkdtempSync(join(tmpdir(), "embedded-stack-otel-"));
    const endpoint = collector.url;
    const stack = await startEmbeddedStack({ port: 0, dataDir, env: { LLAMA_CPP_URL: provider.baseUrl, ...telemetryEnv(endpoint, { OTEL_EXPORTER_OTLP_TIMEOUT: "500" }) } });
    try {
      // Enough requests for several failed span and metric exports while they run.
      for (let i = 0; i < 20; i++) {
        const res = await postJson(`${stack.url}/v1/chat/completions`, { ...CHAT, stream: i % 2 === 1 });
        expect(res.status).toBe(200);
        await res.text();
      }
    } finally {
      await stack.close();
      await provider.close();
      await collector.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
