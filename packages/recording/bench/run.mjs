// Benchmarks: replay lookup over 10,000 recordings, and proxy overhead vs a direct local upstream.
// Loopback only; counts are bounded. Run after build: pnpm --filter @llama-stack-tests/recording bench
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { Agent, request } from "undici";
import { RecordingStore, requestHash, serializeRecording } from "../dist/index.js";

const here = dirname(fileURLToPath(import.meta.url));

const RECORDINGS = 10_000;
const LOOKUPS = 5_000;
const SEQUENTIAL = 2_000;
const STREAMS = 32;
const STREAM_ROUNDS = 50;
const CHUNKS = 20;

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x) => x.toFixed(3);

async function benchLookup() {
  const dir = mkdtempSync(join(tmpdir(), "rec-bench-"));
  const keys = [];
  for (let i = 0; i < RECORDINGS; i++) {
    const testId = `tests/integration/inference/test_bench.py::test_${i % 500}`;
    const body = { model: "m", messages: [{ role: "user", content: `question ${i}` }], temperature: 0.5 };
    const hash = requestHash({ method: "POST", endpoint: "/v1/v1/chat/completions", body, testId });
    const rec = {
      test_id: testId,
      request: { method: "POST", url: "http://127.0.0.1:8080/v1/v1/chat/completions", headers: {}, body, endpoint: "/v1/chat/completions", model: "m" },
      response: { body: { __type__: "openai.types.chat.chat_completion.ChatCompletion", __data__: { id: `rec-${hash.slice(0, 12)}`, object: "chat.completion", created: 0, model: "m", choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: `answer ${i}` } }] } }, is_streaming: false },
      id_normalization_mapping: {},
    };
    mkdirSync(join(dir, "inference"), { recursive: true });
    writeFileSync(join(dir, "inference", `${hash}.json`), serializeRecording(rec));
    keys.push({ hash, testId, content: `question ${i}` });
  }
  let t = performance.now();
  const store = new RecordingStore(dir);
  const coldIndex = performance.now() - t;
  store.close();
  t = performance.now();
  const store2 = new RecordingStore(dir);
  const warmIndex = performance.now() - t;
  const times = [];
  for (let i = 0; i < LOOKUPS; i++) {
    const k = keys[(i * 7919) % keys.length];
    const t0 = performance.now();
    const found = store2.find(k.hash, k.testId);
    times.push(performance.now() - t0);
    if (!found) throw new Error(`lookup missed ${k.hash}`);
  }
  store2.close();
  return { dir, keys, coldIndex, warmIndex, p50: pct(times, 50), p99: pct(times, 99) };
}

/** Starts a node script as a child process and resolves with the URL it prints. */
function startChild(args) {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}`)));
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.removeAllListeners("exit");
        resolve({ url: m[1], stop: () => new Promise((done) => { child.once("exit", done); child.kill("SIGTERM"); }) });
      }
    });
  });
}

async function timed(dispatcher, url) {
  const t0 = performance.now();
  const r = await request(url, { method: "POST", body: '{"model":"m","messages":[]}', headers: { "content-type": "application/json" }, dispatcher });
  await r.body.text();
  return performance.now() - t0;
}

async function benchProxy() {
  // Upstream and proxy run in their own processes, as the provider and the proxy do in a test run.
  const upstream = await startChild([join(here, "upstream.mjs"), String(CHUNKS)]);
  const url = upstream.url;
  const proxy = await startChild([join(here, "../dist/cli.js"), "proxy", "--mode", "live", "--dir", tmpdir(), "--route", `bench=${url},http://127.0.0.1:8080/v1`, "--port", "0"]);
  const bare = await startChild([join(here, "bare-proxy.mjs"), url]);
  const dispatcher = new Agent({ connections: 64 });
  const direct = `${url}/v1/chat/completions`;
  const viaProxy = `${proxy.url}/bench/v1/chat/completions`;
  const viaBare = `${bare.url}/bench/v1/chat/completions`;
  for (let i = 0; i < 200; i++) {
    await timed(dispatcher, direct);
    await timed(dispatcher, viaProxy);
    await timed(dispatcher, viaBare);
  }
  const d = [];
  const p = [];
  const bp = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    d.push(await timed(dispatcher, direct));
    p.push(await timed(dispatcher, viaProxy));
    bp.push(await timed(dispatcher, viaBare));
  }
  // Rounds alternate between direct and proxied so background load hits both alike.
  const round = async (target, acc) => {
    const t0 = performance.now();
    acc.lat.push(...(await Promise.all(Array.from({ length: STREAMS }, () => timed(dispatcher, target)))));
    acc.total += performance.now() - t0;
  };
  const cd = { total: 0, lat: [] };
  const cp = { total: 0, lat: [] };
  const cb = { total: 0, lat: [] };
  for (let i = 0; i < 5; i++) {
    await round(`${url}/stream`, { total: 0, lat: [] });
    await round(`${proxy.url}/bench/stream`, { total: 0, lat: [] });
    await round(`${bare.url}/bench/stream`, { total: 0, lat: [] });
  }
  for (let i = 0; i < STREAM_ROUNDS; i++) {
    await round(`${url}/stream`, cd);
    await round(`${proxy.url}/bench/stream`, cp);
    await round(`${bare.url}/bench/stream`, cb);
  }
  cd.p50 = pct(cd.lat, 50);
  cp.p50 = pct(cp.lat, 50);
  cb.p50 = pct(cb.lat, 50);
  await dispatcher.close();
  await proxy.stop();
  await bare.stop();
  await upstream.stop();
  return { directP50: pct(d, 50), proxyP50: pct(p, 50), bareP50: pct(bp, 50), cd, cp, cb };
}

/** One chat completion through the replaying proxy; a miss stops the bench. */
async function replayOnce(proxy, k, dispatcher) {
  const r = await request(`${proxy.url}/llama-cpp/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-llamastack-test-id": k.testId },
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content: k.content }], temperature: 0.5 }),
    dispatcher,
  });
  await r.body.text();
  if (r.statusCode !== 200) throw new Error(`replay miss for ${k.hash}`);
}

/** End-to-end replay: HTTP request through a replaying proxy process over the same 10,000 files. */
async function benchReplay(dir, keys) {
  const proxy = await startChild([join(here, "../dist/cli.js"), "proxy", "--mode", "replay", "--dir", dir, "--port", "0"]);
  const dispatcher = new Agent({ connections: 8 });
  const times = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const k = keys[(i * 104729) % keys.length];
    const t0 = performance.now();
    await replayOnce(proxy, k, dispatcher);
    times.push(performance.now() - t0);
  }
  // Throughput: 8 clients repeating requests over 200 recordings, as a test run repeats its providers' calls.
  const CLIENTS = 8;
  const PER_CLIENT = 1_500;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    for (let i = 0; i < PER_CLIENT; i++) {
      const k = keys[((c * PER_CLIENT + i) * 7) % 200];
      await replayOnce(proxy, k, dispatcher);
    }
  }));
  const rps = (CLIENTS * PER_CLIENT) / ((performance.now() - t0) / 1000);
  await dispatcher.close();
  await proxy.stop();
  return { p50: pct(times, 50), p99: pct(times, 99), rps };
}

const l = await benchLookup();
const rp = await benchReplay(l.dir, l.keys);
rmSync(l.dir, { recursive: true, force: true });
console.log(`replay lookup, ${RECORDINGS} recordings: p50 ${ms(l.p50)} ms, p99 ${ms(l.p99)} ms (index build ${l.coldIndex.toFixed(0)} ms cold, ${l.warmIndex.toFixed(0)} ms warm re-sync)`);
console.log(`replay through the proxy over HTTP, ${RECORDINGS} recordings: p50 ${ms(rp.p50)} ms, p99 ${ms(rp.p99)} ms; 8 clients repeating 200 of them: ${rp.rps.toFixed(0)} req/s`);
const b = await benchProxy();
console.log(`proxy overhead, sequential JSON requests (live mode): direct p50 ${ms(b.directP50)} ms, via proxy p50 ${ms(b.proxyP50)} ms, via a bare Node pass-through p50 ${ms(b.bareP50)} ms`);
console.log(`${STREAMS} concurrent SSE streams of ${CHUNKS} chunks x ${STREAM_ROUNDS} rounds: direct ${b.cd.total.toFixed(0)} ms (p50 ${ms(b.cd.p50)}), via proxy ${b.cp.total.toFixed(0)} ms (p50 ${ms(b.cp.p50)}), via bare pass-through ${b.cb.total.toFixed(0)} ms (p50 ${ms(b.cb.p50)})`);
// The target: the recording proxy within 1.1x of a bare pass-through measured in the same run.
console.log(`recording proxy vs bare pass-through: ${(b.cp.total / b.cb.total).toFixed(2)}x total on streams, ${(b.proxyP50 / b.bareP50).toFixed(2)}x p50 on sequential JSON (target <= 1.10x)`);
