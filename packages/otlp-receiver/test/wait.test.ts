import { expect, it } from "vitest";
import { OtlpWaitTimeoutError, startOtlpReceiver } from "../src/index.js";

const ONE_SPAN_EXPORT = JSON.stringify({
  resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "01".repeat(16), spanId: "02".repeat(8), name: "late" }] }] }],
});

it("waitFor resolves when a matching batch arrives, with the predicate's value", async () => {
  const receiver = await startOtlpReceiver();
  try {
    const waiting = receiver.waitFor((r) => r.spans.find((s) => s.name === "late"), { description: "a span named late" });
    await fetch(`${receiver.url}/v1/traces`, { method: "POST", body: ONE_SPAN_EXPORT, headers: { "content-type": "application/json" } });
    expect((await waiting).spanId).toBe("0202020202020202");
    receiver.clear();
    expect(receiver.spans()).toEqual([]);
  } finally {
    await receiver.close();
  }
});

it("waitFor rejects at its timeout naming what it awaited and what arrived", async () => {
  const receiver = await startOtlpReceiver();
  try {
    const waiting = receiver.waitFor((r) => r.logs.length > 0, { timeoutMs: 1, description: "any log record" });
    await expect(waiting).rejects.toThrow(OtlpWaitTimeoutError);
    await expect(waiting).rejects.toThrow(/waiting for any log record; received so far: 0 spans, 0 metrics, 0 log records/);
  } finally {
    await receiver.close();
  }
});

it("close rejects pending waiters instead of leaving them hanging", async () => {
  const receiver = await startOtlpReceiver();
  const waiting = receiver.waitFor((r) => r.spans.length > 0);
  await receiver.close();
  await expect(waiting).rejects.toThrow(/receiver was closed/);
});
