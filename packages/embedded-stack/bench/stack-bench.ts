/**
 * Bounded load on non-streaming chat completions: how many requests per second a client gets through
 * the embedded stack, with the recording proxy in replay behind it, compared with the same request sent
 * to the proxy directly; then the same load through a stack with telemetry on (OTLP/protobuf to the test
 * OTLP receiver): the overhead ratio, and how long a span takes from its end to the receiver. Also times
 * start-up of the CLI.
 *
 * Methodology. In a suite run the test client (a vitest worker), the embedded stack and the recording
 * proxy are three processes (the stack's CLI; the proxy in the suite's CLI, or in vitest's main process
 * for a package run alone), so the bench runs them apart too: the proxy's CLI (`recordings proxy --mode replay`) and the stack's CLI each as a child process,
 * and the load generator (autocannon) in this process. Both figures are what a client gets: the
 * numerator is the rate through stack and proxy, the denominator the rate from the same proxy process
 * alone, with the same load generator and connections. The two alternate in short rounds so the
 * machine's background load hits both alike. (In one process, as an earlier version of this bench ran
 * them, a request through the stack paid both HTTP hops and the load generator on one event loop, which
 * no suite run does.) The telemetry stack is its own process too; the receiver stays in this process,
 * as it sits in the test process of the telemetry suite. Recordings are made first, in this process, in
 * a temp dir (record mode against the FakeProvider test double).
 *
 *   pnpm --filter @llama-stack-tests/embedded-stack bench [-- --duration 10 --connections 8 --cpu-prof DIR]
 *
 * Besides the rates, each server's CPU per request (`cpu_us_per_request`, from /proc on Linux): the rates
 * move with other work on the machine, and more for the three processes through the stack than for
 * the two of the proxy alone, while a request's cost moves less.
 *
 * --cpu-prof DIR: the replay stack's process writes a V8 CPU profile into DIR when it stops.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_PROVIDER_ROUTES, onStopRequest, startRecordingProxy, TEST_ID_HEADER, type RecordingProxy } from "@llama-stack-tests/recording";
import { startOtlpReceiver } from "@llama-stack-tests/otlp-receiver";
import autocannon from "autocannon";
import { startEmbeddedStack } from "../src/index.js";
import { startFakeProvider } from "../test/server-fake-provider.js";

const TEST_ID = "bench/stack-bench.ts::chat_completion";
const CHAT = { model: "llama-cpp/tiny-random-llama", messages: [{ role: "user", content: "Say hello" }], stream: false };
const PROVIDER_BODY = { model: "tiny-random-llama", messages: CHAT.messages, stream: false };

/** The built CLIs (this file runs as dist/bench/stack-bench.js). */
const STACK_CLI = join(import.meta.dirname, "../cli.js");
const RECORDINGS_CLI = join(dirname(fileURLToPath(import.meta.resolve("@llama-stack-tests/recording"))), "cli.js");

interface LoadResult {
  requests: number;
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
    requests: result.requests.total,
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
    requests: rounds.reduce((s, r) => s + r.requests, 0),
    requestsPerSec: Number((rounds.reduce((s, r) => s + r.requestsPerSec, 0) / rounds.length).toFixed(1)),
    p99Ms: Math.max(...rounds.map((r) => r.p99Ms)),
    p50Ms: p50s[Math.floor(p50s.length / 2)] ?? 0,
    non2xx: rounds.reduce((s, r) => s + r.non2xx, 0),
    errors: rounds.reduce((s, r) => s + r.errors, 0),
  };
}

interface ChildServer {
  url: string;
  /** User + system CPU seconds it has used so far (Linux's /proc); undefined elsewhere. */
  cpuSeconds(): number | undefined;
  /** SIGTERM, then its exit (the CLIs close their servers and exit; a CPU profile is written then). */
  stop(): Promise<void>;
}

function cpuSecondsOf(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // utime and stime, fields 14 and 15 of stat(5) (the first two end at the ")"), in clock ticks of 1/100 s.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The load and the CPU each server used meanwhile. */
async function loadUsing(servers: ChildServer[], run: () => Promise<LoadResult>): Promise<{ result: LoadResult; cpu: (number | undefined)[] }> {
  const before = servers.map((s) => s.cpuSeconds());
  const result = await run();
  return { result, cpu: servers.map((s, i) => spent(before[i], s.cpuSeconds())) };
}

function spent(before: number | undefined, after: number | undefined): number | undefined {
  return before === undefined || after === undefined ? undefined : after - before;
}

/** Microseconds of CPU per request from per-round seconds, or null where /proc gave none. */
function perRequest(seconds: (number | undefined)[], requests: number): number | null {
  if (seconds.some((s) => s === undefined) || requests === 0) return null;
  return Math.round(((seconds as number[]).reduce((a, b) => a + b, 0) * 1e6) / requests);
}

/** The children not yet stopped: an interrupted bench stops them before it leaves. */
const running = new Set<ChildServer>();

/** A CLI of the harness as a child process, ready once it prints "listening on <url>". */
async function startChild(name: string, nodeArgs: string[], env: NodeJS.ProcessEnv): Promise<ChildServer> {
  const child = spawn(process.execPath, nodeArgs, { stdio: ["ignore", "pipe", "inherit"], env: { PATH: process.env.PATH, ...env } });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  try {
    const url = await new Promise<string>((ready, fail) => {
      createInterface({ input: child.stdout }).on("line", (line) => {
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m) ready(m[1] as string);
      });
      child.once("exit", (code, signal) => fail(new Error(`${name} exited (${signal ?? code}) before it was ready`)));
    });
    const server: ChildServer = {
      url,
      cpuSeconds: () => cpuSecondsOf(child.pid),
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        await exited;
        running.delete(server);
      },
    };
    running.add(server);
    return server;
  } catch (e) {
    child.kill("SIGKILL");
    throw e;
  }
}

async function startupMs(work: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = join(work, `data-startup-${i}`);
    const t0 = process.hrtime.bigint();
    const stack = await startChild("the embedded stack", [STACK_CLI, "--port", "0", "--data-dir", dataDir], {});
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return times;
}

/** Record mode, in this process: it only makes the recording the replay serves. */
async function recordingProxy(recordingsDir: string, target: string): Promise<RecordingProxy> {
  const base = DEFAULT_PROVIDER_ROUTES["llama-cpp"];
  if (!base) throw new Error("the recording package has no llama-cpp route");
  return startRecordingProxy({ mode: "record", recordingsDir, host: "127.0.0.1", port: 0, providers: [{ ...base, target }] });
}

function replayProxyProcess(recordingsDir: string): Promise<ChildServer> {
  return startChild("the recording proxy", [RECORDINGS_CLI, "proxy", "--mode", "replay", "--dir", recordingsDir, "--host", "127.0.0.1", "--port", "0"], {});
}

function stackProcess(proxyUrl: string, dataDir: string, env: NodeJS.ProcessEnv = {}, nodeFlags: string[] = []): Promise<ChildServer> {
  return startChild("the embedded stack", [...nodeFlags, STACK_CLI, "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir], {
    LLAMA_CPP_URL: `${proxyUrl}/llama-cpp/v1`,
    ...env,
  });
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
 * The same load through a stack process exporting to a receiver in this process. Export latency:
 * receipt time minus span end time for every span, taken from the receiver's arrival hook (waitFor's
 * predicate runs per batch).
 */
async function loadWithTelemetry(proxyUrl: string, dataDir: string, headers: Record<string, string>, duration: number, connections: number): Promise<TelemetryLoad> {
  const receiver = await startOtlpReceiver();
  const stack = await stackProcess(proxyUrl, dataDir, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...TELEMETRY_ENV });
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
  let result: LoadResult;
  try {
    result = await load(`${stack.url}/v1/chat/completions`, CHAT, headers, duration, connections);
  } finally {
    // A stopping stack flushes what is still queued, before the receiver stops.
    await stack.stop();
    await receiver.close();
    await watching;
  }
  latencies.sort((a, b) => a - b);
  return {
    load: result,
    spansReceived: seen,
    spansPerRequest: Number((seen / Math.max(result.requests, 1)).toFixed(2)),
    exportLatencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
  };
}

function positiveInteger(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${value}'`);
  return n;
}

async function main(): Promise<void> {
  // pnpm forwards its "--" separator; it is not an argument.
  const args = process.argv.slice(2).filter((a) => a !== "--");
  const { values } = parseArgs({
    args,
    strict: true,
    options: { duration: { type: "string", default: "10" }, connections: { type: "string", default: "8" }, "cpu-prof": { type: "string" } },
  });
  const duration = positiveInteger("duration", values.duration);
  const connections = positiveInteger("connections", values.connections);
  const profileFlags = values["cpu-prof"] ? ["--cpu-prof", "--cpu-prof-dir", resolve(values["cpu-prof"])] : [];
  const work = mkdtempSync(join(tmpdir(), "embedded-stack-bench-"));
  const recordings = join(work, "recordings");
  const providerData = { "x-llamastack-provider-data": JSON.stringify({ __test_id: TEST_ID }) };
  // Interrupted (or orphaned): the children stop first, so their data dirs can go with the work dir.
  onStopRequest(() => {
    void Promise.all([...running].map((s) => s.stop())).finally(() => {
      rmSync(work, { recursive: true, force: true });
      process.exit(1);
    });
  });
  let replay: ChildServer | undefined;
  let stack: ChildServer | undefined;
  try {
    // 1. Record one exchange through the stack.
    const fake = await startFakeProvider();
    const recorder = await recordingProxy(recordings, new URL(fake.baseUrl).origin);
    const recordingStack = await startEmbeddedStack({ port: 0, dataDir: join(work, "data-record"), env: { LLAMA_CPP_URL: `${recorder.url}/llama-cpp/v1` } });
    const recorded = await fetch(`${recordingStack.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", ...providerData }, body: JSON.stringify(CHAT) });
    if (recorded.status !== 200) throw new Error(`recording failed: ${recorded.status} ${await recorded.text()}`);
    await recordingStack.close();
    await recorder.close();
    await fake.close();

    // 2. Replay, each server in its own process: stack vs proxy direct, same request hash.
    replay = await replayProxyProcess(recordings);
    stack = await stackProcess(replay.url, join(work, "data-replay"), {}, profileFlags);
    const directRounds: LoadResult[] = [];
    const stackRounds: LoadResult[] = [];
    const proxyAloneCpu: (number | undefined)[] = [];
    const stackCpu: (number | undefined)[] = [];
    const proxyBehindStackCpu: (number | undefined)[] = [];
    const round = Math.max(1, Math.round(duration / ROUNDS));
    for (let i = 0; i < ROUNDS; i++) {
      const d = await loadUsing([replay], () => load(`${replay!.url}/llama-cpp/v1/chat/completions`, PROVIDER_BODY, { [TEST_ID_HEADER]: TEST_ID }, round, connections));
      directRounds.push(d.result);
      proxyAloneCpu.push(d.cpu[0]);
      const s = await loadUsing([stack, replay], () => load(`${stack!.url}/v1/chat/completions`, CHAT, providerData, round, connections));
      stackRounds.push(s.result);
      stackCpu.push(s.cpu[0]);
      proxyBehindStackCpu.push(s.cpu[1]);
    }
    const direct = combine(directRounds);
    const viaStack = combine(stackRounds);
    await stack.stop();
    const telemetry = await loadWithTelemetry(replay.url, join(work, "data-telemetry"), providerData, duration, connections);
    await replay.stop();

    // 3. Start-up of the built CLI.
    const startup = await startupMs(work, 5);

    const report = {
      duration_s: duration,
      connections,
      proxy_direct: direct,
      through_stack: viaStack,
      overhead_ratio_rps: Number((direct.requestsPerSec / viaStack.requestsPerSec).toFixed(2)),
      // The target: the stack serves at least half the proxy's own rate.
      stack_share_of_proxy_rps: Number((viaStack.requestsPerSec / direct.requestsPerSec).toFixed(2)),
      overhead_ratio_p99: Number((viaStack.p99Ms / Math.max(direct.p99Ms, 1)).toFixed(2)),
      // Less sensitive to other work on the machine than the rates: what each request costs each server.
      cpu_us_per_request: {
        proxy_alone: perRequest(proxyAloneCpu, direct.requests),
        through_stack: { stack: perRequest(stackCpu, viaStack.requests), proxy: perRequest(proxyBehindStackCpu, viaStack.requests) },
      },
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
    await stack?.stop();
    await replay?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`stack-bench: ${(err as Error).message}\n`);
  process.exit(1);
});
