/**
 * Telemetry benchmark (pnpm --filter telemetry bench [--stack=embedded|server] [--requests=N]):
 * - export latency: from a chat completion's server span ending to the receiver holding it (p50/p99);
 * - the cost of telemetry per request: with a live collector, with an unreachable one, and off (ratios);
 * - how long a stack with an unreachable collector takes to stop.
 * Writes reports/bench/telemetry-<stack>.json. No thresholds: figures for the README.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { findRepoRoot } from "@llama-stack-tests/setups";
import { freePort, startInstrumentedStack } from "@llama-stack-tests/stack/lifecycle";
import OpenAI from "openai";
import { newTrace, startTelemetryHarness } from "../test/support/harness.js";

const USAGE = "usage: export-latency [--stack=embedded|server] [--requests=N] (server needs .venvs/llama-stack-0.4.0: bash scripts/setup.sh --real-server)";

function parse(): { stack: "embedded" | "server"; requests: number } {
  try {
    // `pnpm bench -- --stack=server` passes the separator through.
    const argv = process.argv.slice(2);
    const { values } = parseArgs({ args: argv[0] === "--" ? argv.slice(1) : argv, options: { stack: { type: "string", default: "embedded" }, requests: { type: "string", default: "30" }, help: { type: "boolean" } }, strict: true });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    if (values.stack !== "embedded" && values.stack !== "server") throw new Error(`--stack=${values.stack} is not embedded or server`);
    const requests = Number(values.requests);
    if (!Number.isInteger(requests) || requests < 1 || requests > 500) throw new Error(`--requests=${values.requests} is not an integer in 1-500`);
    return { stack: values.stack, requests };
  } catch (e) {
    console.error(`export-latency: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const summary = (values: number[]) => ({ n: values.length, p50: round(quantile(values, 0.5)), p99: round(quantile(values, 0.99)), max: round(Math.max(...values)) });
const round = (v: number) => Math.round(v * 10) / 10;

async function chatLatencies(openai: OpenAI, model: string, n: number, onTrace?: (traceId: string) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const trace = newTrace();
    const t0 = performance.now();
    await openai.chat.completions.create({ model, messages: [{ role: "user", content: `bench ${i}` }], max_tokens: 4 }, { headers: trace.headers });
    out.push(performance.now() - t0);
    await onTrace?.(trace.traceId);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parse();
  const rootDir = findRepoRoot();
  // The port is a placeholder: each stack below gets a free one.
  const stackConfig = args.stack === "server" ? "server:stacks/run.yaml" : "embedded";
  const run = { stackConfig, rootDir };

  // Live collector: export latency and request cost.
  const live = await startTelemetryHarness(run);
  const model = live.stack.options.models.text[0]!;
  const exportLatencyMs: number[] = [];
  let liveRequestMs: number[];
  try {
    await chatLatencies(live.openai, model, 3);
    liveRequestMs = await chatLatencies(live.openai, model, args.requests, async (traceId) => {
      const server = await live.receiver.waitFor(
        (r) => r.spans.find((s) => s.traceId === traceId && s.kind === "server"),
        { timeoutMs: 30_000, description: `the server span of trace ${traceId}` },
      );
      exportLatencyMs.push(Date.now() - Number(BigInt(server.endTimeUnixNano) / 1_000_000n));
    });
  } finally {
    await live.close();
  }

  // Unreachable collector: request cost, and how long the stack takes to stop.
  const dead = await startTelemetryHarness(run, `http://127.0.0.1:${await freePort()}`);
  let deadRequestMs: number[];
  try {
    deadRequestMs = await chatLatencies(dead.openai, model, Math.min(args.requests, 10));
  } catch (e) {
    await dead.close();
    throw e;
  }
  const stopStart = performance.now();
  await dead.close();
  const stopMs = performance.now() - stopStart;

  // Telemetry off: the same stack kind, live mode, no OTEL_* at all.
  const off = await startInstrumentedStack({ run, otlpEndpoint: null });
  let offRequestMs: number[];
  try {
    const openai = new OpenAI({ baseURL: `${off.baseUrl}/v1`, apiKey: "no-key", maxRetries: 0 });
    await chatLatencies(openai, model, 3);
    offRequestMs = await chatLatencies(openai, model, args.requests);
  } finally {
    await off.close();
  }

  const result = {
    stack: args.stack,
    requests: args.requests,
    exportLatencyMs: summary(exportLatencyMs),
    requestMs: { telemetryOff: summary(offRequestMs), liveCollector: summary(liveRequestMs), unreachableCollector: summary(deadRequestMs) },
    ratios: {
      liveCollectorVsOff: Math.round((quantile(liveRequestMs, 0.5) / quantile(offRequestMs, 0.5)) * 100) / 100,
      unreachableCollectorVsOff: Math.round((quantile(deadRequestMs, 0.5) / quantile(offRequestMs, 0.5)) * 100) / 100,
    },
    unreachableCollectorStopMs: round(stopMs),
  };
  const out = path.join(rootDir, "reports", "bench", `telemetry-${args.stack}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(`${out}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  fs.renameSync(`${out}.tmp`, out);
  console.log(`telemetry bench (${args.stack} stack, ${args.requests} chat completions)`);
  console.log(`  export latency, span end -> receipt: p50 ${result.exportLatencyMs.p50} ms, p99 ${result.exportLatencyMs.p99} ms`);
  console.log(`  request p50: off ${result.requestMs.telemetryOff.p50} ms, live collector ${result.requestMs.liveCollector.p50} ms (x${result.ratios.liveCollectorVsOff}), unreachable collector ${result.requestMs.unreachableCollector.p50} ms (x${result.ratios.unreachableCollectorVsOff})`);
  console.log(`  stack with an unreachable collector stopped in ${result.unreachableCollectorStopMs} ms`);
  console.log(`  written: ${path.relative(rootDir, out)}`);
}

await main();
