import { SeverityNumber, context, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startOtlpReceiver, type OtlpReceiver } from "../src/index.js";
import { loggerProvider } from "./sdk.js";

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());

it("normalizes log records over gzipped protobuf: body, severity, typed attributes, trace context", async () => {
  const provider = loggerProvider(receiver.url, "gzip");
  const logger = provider.getLogger("receiver-logs", "4.5.6");
  const spanContext = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 };
  logger.emit({
    severityNumber: SeverityNumber.WARN,
    severityText: "WARN",
    body: { message: "slow request", ms: 1200 },
    attributes: { raw: new Uint8Array([0, 1, 254]), nested: { depth: 2 } },
    context: trace.setSpanContext(context.active(), spanContext),
  });
  logger.emit({ body: "plain text" });
  await provider.forceFlush();
  await provider.shutdown();

  const logs = await receiver.waitFor((r) => r.logs.length === 2 && r.logs, { description: "2 log records" });
  // The two records may arrive in separate exports, in either order.
  const warn = logs.find((l) => l.severityText === "WARN");
  const plain = logs.find((l) => l !== warn);
  expect(warn).toMatchObject({ severityNumber: 13, severityText: "WARN", traceId: spanContext.traceId, spanId: spanContext.spanId, encoding: "protobuf" });
  expect(warn!.body).toEqual({ type: "kvlist", value: { message: { type: "string", value: "slow request" }, ms: { type: "int", value: 1200n } } });
  expect(warn!.attributes).toEqual({
    raw: { type: "bytes", value: new Uint8Array([0, 1, 254]) },
    nested: { type: "kvlist", value: { depth: { type: "int", value: 2n } } },
  });
  expect(warn!.scope).toMatchObject({ name: "receiver-logs", version: "4.5.6" });
  expect(warn!.resource["deployment.environment"]).toEqual({ type: "string", value: "test" });
  expect(plain).toMatchObject({ body: { type: "string", value: "plain text" }, traceId: "", spanId: "" });
});
