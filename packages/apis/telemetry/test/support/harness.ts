/** One instrumented stack and its collector, shared by a telemetry test file. */
import { randomBytes } from "node:crypto";
import { startOtlpReceiver, type OtlpReceiver } from "@llama-stack-tests/otlp-receiver";
import { startInstrumentedStack, type InstrumentedStack } from "@llama-stack-tests/stack/lifecycle";
import type { RunOptions } from "@llama-stack-tests/stack";
import OpenAI from "openai";

export interface TelemetryHarness {
  receiver: OtlpReceiver;
  stack: InstrumentedStack;
  openai: OpenAI;
  close(): Promise<void>;
}

/** A W3C trace context of the test's own: every span the request causes carries its trace id. */
export interface TraceContext {
  traceId: string;
  /** The test's (remote) parent span, which the stack's server span must name as parent. */
  parentSpanId: string;
  headers: { traceparent: string };
}

export function newTrace(): TraceContext {
  const traceId = randomBytes(16).toString("hex");
  const parentSpanId = randomBytes(8).toString("hex");
  return { traceId, parentSpanId, headers: { traceparent: `00-${traceId}-${parentSpanId}-01` } };
}

/** The provider's own id of a stack model id (`llama-cpp/tiny-random-llama` -> `tiny-random-llama`). */
export function providerModelId(modelId: string): string {
  const slash = modelId.indexOf("/");
  return slash < 0 ? modelId : modelId.slice(slash + 1);
}

/** A receiver and a stack exporting to it, or (with `otlpEndpoint`) to somewhere else. */
export async function startTelemetryHarness(run: Pick<RunOptions, "stackConfig" | "rootDir">, otlpEndpoint?: string): Promise<TelemetryHarness> {
  const receiver = await startOtlpReceiver();
  try {
    const stack = await startInstrumentedStack({ run, otlpEndpoint: otlpEndpoint ?? receiver.url });
    const openai = new OpenAI({ baseURL: `${stack.baseUrl}/v1`, apiKey: "no-key", maxRetries: 0 });
    return {
      receiver,
      stack,
      openai,
      close: async () => {
        await stack.close();
        await receiver.close();
      },
    };
  } catch (e) {
    await receiver.close();
    throw e;
  }
}
