/**
 * Bounded load on non-streaming chat completions through the embedded stack, with the recording proxy
 * in replay, compared with the same request sent to the proxy directly, and through the stack with
 * telemetry on (OTLP/protobuf to the test OTLP receiver): the overhead ratio, and how long a span takes
 * from its end to the receiver. Recordings are made first by this script in a temp dir (record mode
 * against the FakeProvider test double). Also times start-up.
 *
 *   pnpm --filter @llama-stack-tests/embedded-stack bench [-- --duration 10 --connections 8]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { DEFAULT_PROVIDER_ROUTES, startRecordingProxy, TEST_ID_HEADER, type InferenceMode, type RecordingProxy } from "@llama-stack-tests/recording";
import { startOtlpReceiver } from "@llama-stack-tests/otlp-receiver";
import autocannon from "autocannon";
import { startEmbeddedStack, type EmbeddedStackHandle } from "../src/index.js";
import { startFakeProvider } from "../test/server-fake-provider.js";

const TEST_ID = "bench/stack-bench.ts::chat_completion";
const CHAT = { model: "llama-cpp/tiny-random-llama", messages: [{ role: "user", content: "Say hello" }], stream: false };
const PROVIDER_BODY = { model: "tiny-random-llama", messages: CHAT.messages, stream: false };

interface LoadResult {
  requestsPerSec: number;
  p99Ms: number;
  p50Ms: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, body: unknown, headers: Record<string, string>, duration: number, connections: number): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    duration,
    connections,
  });
  return {
    requestsPerSec: result.requests.average,
    p99Ms: result.latency.p99,
    p50Ms: result.latency.p50,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const ROUNDS = 5;

/** Rounds of equal length: mean rate, worst p99, median p50, summed failures. */
function combine(rounds: LoadResult[]): LoadResult {
  const p50s = rounds.map((r) => r.p50Ms).sort((a, b) => a - b);
  return {
    requestsPerSec: Number((rounds.reduce((s, r) => s + r.requestsPerSec, 0) / rounds.length).toFixed(1)),
    p99Ms: Math.max(...rounds.map((r) => r.p99Ms)),
    p50Ms: p50s[Math.floor(p50s.length / 2)] ?? 0,
    non2xx: rounds.reduce((s, r) => s + r.non2xx, 0),
    errors: rounds.reduce((s, r) => s + r.errors, 0),
  };
}

async function startupMs(cli: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), "embedded-stack-bench-"));
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, "--port", "0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "inherit"], env: { PATH: process.env.PATH } });
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", () => resolve());
      child.once("exit", (code) => reject(new Error(`CLI exited with ${code} before it was ready`)));
    });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
  return times;
}

async function withProxy(mode: InferenceMode, recordingsDir: string, target: string | undefined): Promise<RecordingProxy> {
  const base = DEFAULT_PROVIDER_ROUTES["llama-cpp"];
  if (!base) throw new Error("the recording package has no llama-cpp route");
  return startRecordingProxy({ mode, recordingsDir, host: "127.0.0.1", port: 0, providers: [{ ...base, target }] });
}

async function stackOn(proxy: RecordingProxy, dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<EmbeddedStackHandle> {
  return startEmbeddedStack({ port: 0, dataDir, env: { LLAMA_CPP_URL: `${proxy.url}/llama-cpp/v1`, ...env } });
}

/** The export settings telemetry tests use (see packages/stack's telemetryEnv). */
const TELEMETRY_ENV = { OTEL_BSP_SCHEDULE_DELAY: "100", OTEL_METRIC_EXPORT_INTERVAL: "250", OTEL_EXPORTER_OTLP_TIMEOUT: "1000" };

function percentile(sorted: number[], p: number): number {
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number) : Number.NaN;
}

interface TelemetryLoad {
  load: LoadResult;
  spansReceived: number;
  spansPerRequest: number;
  exportLatencyMs: { p50: number; p99: number };
}

/**
 * The same load through a stack exporting to a receiver. Export latency: receipt time minus span end
 * time for every span, taken from the receiver's arrival hook (waitFor's predicate runs per batch).
 */
async function loadWithTelemetry(replay: RecordingProxy, dataDir: string, headers: Record<string, string>, duration: number, connections: number): Promise<TelemetryLoad> {
  const receiver = await startOtlpReceiver();
  const stack = await stackOn(replay, dataDir, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...TELEMETRY_ENV });
  const latencies: number[] = [];
  let seen = 0;
  // Never satisfied: the predicate is the per-batch hook; closing the receiver ends the wait.
  const watching = receiver
    .waitFor(
      (r) => {
        const now = Date.now();
        for (const span of r.spans.slice(seen)) latencies.push(now - Number(BigInt(span.endTimeUnixNano) / 1_000_000n));
        seen = r.spans.length;
        return false;
      },
      { timeoutMs: (duration + 60) * 1000, description: "the end of the telemetry load" },
    )
    .catch(() => undefined);
  const result = await load(`${stack.url}/v1/chat/completions`, CHAT, headers, duration, connections);
  // close() flushes what is still queued before the receiver stops.
  await stack.close();
  await receiver.close();
  await watching;
  latencies.sort((a, b) => a - b);
  const requests = result.requestsPerSec * duration;
  return {
    load: result,
    spansReceived: seen,
    spansPerRequest: Number((seen / Math.max(requests, 1)).toFixed(2)),
    exportLatencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
  };
}

async function main(): Promise<void> {
  // pnpm forwards its "--" separator; it is not an argument.
  const args = process.argv.slice(2).filter((a) => a !== "--");
  const { values } = parseArgs({ args, options: { duration: { type: "string", default: "10" }, connections: { type: "string", default: "8" } } });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const work = mkdtempSync(join(tmpdir(), "embedded-stack-bench-"));
  const providerData = { "x-llamastack-provider-data": JSON.stringify({ __test_id: TEST_ID }) };
  try {
    // 1. Record one exchange through the stack.
    const fake = await startFakeProvider();
    const recorder = await withProxy("record", join(work, "recordings"), new URL(fake.baseUrl).origin);
    const recordingStack = await stackOn(recorder, join(work, "data-record"));
    const recorded = await fetch(`${recordingStack.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", ...providerData }, body: JSON.stringify(CHAT) });
    if (recorded.status !== 200) throw new Error(`recording failed: ${recorded.status} ${await recorded.text()}`);
    await recordingStack.close();
    await recorder.close();
    await fake.close();

    // 2. Replay: stack vs proxy direct, same request hash.
    const replay = await withProxy("replay", join(work, "recordings"), undefined);
    const stack = await stackOn(replay, join(work, "data-replay"));
    // Short rounds alternate between the two so the machine's background load hits both alike.
    const directRounds: LoadResult[] = [];
    const stackRounds: LoadResult[] = [];
    const round = Math.max(1, Math.round(duration / ROUNDS));
    for (let i = 0; i < ROUNDS; i++) {
      directRounds.push(await load(`${replay.url}/llama-cpp/v1/chat/completions`, PROVIDER_BODY, { [TEST_ID_HEADER]: TEST_ID }, round, connections));
      stackRounds.push(await load(`${stack.url}/v1/chat/completions`, CHAT, providerData, round, connections));
    }
    const direct = combine(directRounds);
    const viaStack = combine(stackRounds);
    await stack.close();
    const telemetry = await loadWithTelemetry(replay, join(work, "data-telemetry"), providerData, duration, connections);
    await replay.close();

    // 3. Start-up of the built CLI.
    const startup = await startupMs(join(import.meta.dirname, "../cli.js"), 5);

    const report = {
      duration_s: duration,
      connections,
      proxy_direct: direct,
      through_stack: viaStack,
      overhead_ratio_rps: Number((direct.requestsPerSec / viaStack.requestsPerSec).toFixed(2)),
      // The target: the stack serves at least half the proxy's own rate.
      stack_share_of_proxy_rps: Number((viaStack.requestsPerSec / direct.requestsPerSec).toFixed(2)),
      overhead_ratio_p99: Number((viaStack.p99Ms / Math.max(direct.p99Ms, 1)).toFixed(2)),
      through_stack_telemetry_on: telemetry.load,
      telemetry_ratio_rps: Number((viaStack.requestsPerSec / telemetry.load.requestsPerSec).toFixed(2)),
      telemetry_ratio_p99: Number((telemetry.load.p99Ms / Math.max(viaStack.p99Ms, 1)).toFixed(2)),
      telemetry_spans_received: telemetry.spansReceived,
      telemetry_spans_per_request: telemetry.spansPerRequest,
      telemetry_export_latency_ms: telemetry.exportLatencyMs,
      startup_ms: startup.map((t) => Math.round(t)),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const t = telemetry.load;
    if (direct.non2xx + viaStack.non2xx + t.non2xx + direct.errors + viaStack.errors + t.errors > 0) {
      throw new Error("some benchmark requests failed (non-2xx or errors above): the replay did not hit its recording");
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`stack-bench: ${(err as Error).message}\n`);
  process.exit(1);
});
