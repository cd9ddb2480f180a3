import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StackStartError } from "../src/errors.js";
import { isHealthy } from "../src/lifecycle/health.js";
import { logsDir } from "../src/lifecycle/log.js";
import { freePort, isPortFree } from "../src/lifecycle/ports.js";
import { groupAlive, startManagedProcess } from "../src/lifecycle/process-group.js";
import { startServer } from "../src/lifecycle/server.js";
import { acquireRunLock } from "../src/run-lock.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const FAKE_STACK = path.join(here, "fixtures", "fake-stack.mjs");
const HARNESS = path.join(here, "fixtures", "harness.mjs");


/** Waits (bounded) until the process group is gone; returns whether it went. */
async function groupGone(pid: number, withinMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return !groupAlive(pid);
}

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "stack-lifecycle-"));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** A stack on `port` that this harness's startServer did not start (no pid file). */
const startForeignStack = (port: number) =>
  startManagedProcess({
    name: "foreign stack",
    command: process.execPath,
    args: [FAKE_STACK, "--port", String(port)],
    env: process.env,
    logFile: path.join(root, "foreign.log"),
    baseUrl: `http://127.0.0.1:${port}`,
    startTimeoutMs: 20_000,
  });

const fake = (port: number, ...flags: string[]) => ({ command: process.execPath, args: [FAKE_STACK, "--port", String(port), ...flags] });

describe("startServer", () => {
  it("starts a server, logs to .llama-stack-tests/logs, writes a pid file, and stops its whole group", async () => {
    const port = await freePort();
    const stack = await startServer({ config: "fake", port, rootDir: root, env: process.env, forceRestart: false, command: fake(port, "--grandchild") });
    expect(stack.baseUrl).toBe(`http://127.0.0.1:${port}`);
    expect(await isHealthy(stack.baseUrl)).toBe(true);
    const log = fs.readFileSync(path.join(root, ".llama-stack-tests", "logs", `llama-stack-${port}.log`), "utf8");
    expect(log).toContain(`fake stack listening on http://127.0.0.1:${port}`);
    const pid = Number(fs.readFileSync(path.join(root, ".llama-stack-tests", `server-${port}.pid`), "utf8").split(" ")[0]);
    expect(groupAlive(pid)).toBe(true);
    await stack.close();
    expect(await groupGone(pid)).toBe(true); // the grandchild too
    expect(await isPortFree(port)).toBe(true);
    expect(fs.existsSync(path.join(root, ".llama-stack-tests", `server-${port}.pid`))).toBe(false);
  });

  it("reuses a healthy server it started for the same options and leaves it running", async () => {
    const port = await freePort();
    const first = await startServer({ config: "fake", port, rootDir: root, env: process.env, forceRestart: false, command: fake(port), reuseKey: "k1" });
    try {
      const second = await startServer({ config: "fake", port, rootDir: root, env: process.env, forceRestart: false, command: fake(port, "--fail"), reuseKey: "k1" });
      expect(second.description).toContain(`reusing the server this harness started on port ${port} for the same options`);
      await second.close();
      expect(await isHealthy(first.baseUrl)).toBe(true);
    } finally {
      await first.close();
    }
  });

  it("waits for a busy server it started for the same options instead of calling it unanswering", async () => {
    const port = await freePort();
    const first = await startServer({ config: "fake", port, rootDir: root, env: process.env, forceRestart: false, command: fake(port), reuseKey: "k1" });
    try {
      // Another package's request holds the server's one event loop longer than the health probe waits.
      const busy = fetch(`${first.baseUrl}/debug/busy?ms=4000`);
      // Once the server holds its loop, not after a guessed 200 ms: on a loaded machine the request can
      // arrive later, and the reuse below then meets an idle server (passing without testing the wait).
      const log = path.join(logsDir(root), `llama-stack-${port}.log`);
      await vi.waitFor(() => expect(fs.readFileSync(log, "utf8")).toContain("busy for 4000 ms"), { timeout: 20_000, interval: 20 });
      const second = await startServer({ config: "fake", port, rootDir: root, env: process.env, forceRestart: false, command: fake(port, "--fail"), reuseKey: "k1" });
      expect(second.description).toContain("reusing the server this harness started");
      await second.close();
      await busy;
    } finally {
      await first.close();
    }
  });

  it("a run reusing the server still hears of its death, with its log", async () => {
    const port = await freePort();
    const first = await startServer({ config: "fake", port, rootDir: root, env: process.env, forceRestart: false, command: fake(port), reuseKey: "k1" });
    const second = await startServer({ config: "fake", port, rootDir: root, env: process.env, forceRestart: false, command: fake(port), reuseKey: "k1" });
    try {
      const death = new Promise<string>((r) => second.onDeath!(r));
      const { pid: serverPid } = (await (await fetch(`${first.baseUrl}/debug/pid`)).json()) as { pid: number };
      process.kill(serverPid, "SIGKILL");
      expect(await death).toMatch(new RegExp(`^the server this harness started on port ${port} \\(process group \\d+\\) died mid-run\\.\nLog: .*llama-stack-${port}\\.log`));
    } finally {
      await second.close();
      await first.close();
    }
  });

  it("refuses a server it started for other options", async () => {
    const port = await freePort();
    const first = await startServer({ config: "fake", port, rootDir: root, env: process.env, forceRestart: false, command: fake(port), reuseKey: "k1" });
    try {
      const error = await startServer({ config: "fake", port, rootDir: root, env: process.env, forceRestart: false, command: fake(port), reuseKey: "k2" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StackStartError);
      expect((error as Error).message).toContain(`Port ${port} has a server this harness started for other options`);
      expect(await isHealthy(first.baseUrl)).toBe(true);
    } finally {
      await first.close();
    }
  });

  it("never silently reuses a healthy stack it did not start", async () => {
    const port = await freePort();
    const foreign = await startForeignStack(port);
    try {
      const error = await startServer({ config: "fake", port, rootDir: root, env: process.env, forceRestart: false, command: fake(port) }).catch((e: unknown) => e);
      expect((error as Error).message).toContain(`A stack this harness did not start answers on port ${port}`);
      expect((error as Error).message).toContain(`--stack-config=http://127.0.0.1:${port}`);
    } finally {
      await foreign.stop();
    }
  });

  it("gives each server fresh storage and removes it on close", async () => {
    const port = await freePort();
    const stack = await startServer({ config: "fake", port, rootDir: root, env: process.env, forceRestart: false, command: fake(port) });
    const seen = (await (await fetch(`${stack.baseUrl}/debug/process`)).json()) as { env: Record<string, string> };
    const state = seen.env.LLAMA_STACK_TESTS_STATE_DIR!;
    expect(state.startsWith(path.join(root, ".llama-stack-tests", "state", `server-${port}-`))).toBe(true);
    expect(seen.env.SQLITE_STORE_DIR).toBe(state);
    expect(fs.existsSync(state)).toBe(true);
    await stack.close();
    expect(fs.existsSync(state)).toBe(false);
  });

  it("LLAMA_STACK_TEST_FORCE_SERVER_RESTART stops the server it started earlier and starts a fresh one", async () => {
    const port = await freePort();
    const first = await startServer({ config: "fake", port, rootDir: root, env: process.env, forceRestart: false, command: fake(port) });
    const firstPid = Number(fs.readFileSync(path.join(root, ".llama-stack-tests", `server-${port}.pid`), "utf8").split(" ")[0]);
    const second = await startServer({ config: "fake", port, rootDir: root, env: process.env, forceRestart: true, command: fake(port) });
    try {
      expect(second.description).toMatch(/^started /);
      expect(await groupGone(firstPid)).toBe(true);
      expect(await isHealthy(second.baseUrl)).toBe(true);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it("a forced restart refuses to touch a server it did not start", async () => {
    const port = await freePort();
    const foreign = await startForeignStack(port);
    try {
      const error = await startServer({ config: "fake", port, rootDir: root, env: process.env, forceRestart: true, command: fake(port) }).catch((e: unknown) => e);
      expect((error as Error).message).toContain(`LLAMA_STACK_TEST_FORCE_SERVER_RESTART=1 but port ${port} is held by a process this harness did not start`);
      expect(await isHealthy(foreign.baseUrl)).toBe(true);
    } finally {
      await foreign.stop();
    }
  });

  it("fails with the exit status and the log's tail when the server dies during start-up", async () => {
    const port = await freePort();
    const error = await startServer({ config: "missing", port, rootDir: root, env: process.env, forceRestart: false, command: fake(port, "--fail") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StackStartError);
    const message = (error as Error).message;
    expect(message).toContain("llama-stack@0.4.0 server (missing) failed to start: it exited with code 3");
    expect(message).toContain("--- last lines ---");
    expect(message).toContain("fake stack: config not found");
    expect(message).toContain("Check that config 'missing' exists");
  });

  it("fails at the deadline when health never answers", async () => {
    const port = await freePort();
    const error = await startManagedProcess({
      name: "silent server",
      command: process.execPath,
      args: ["-e", "console.log('up but not listening'); setInterval(() => {}, 1000)"],
      env: process.env,
      logFile: path.join(root, "silent.log"),
      baseUrl: `http://127.0.0.1:${port}`,
      startTimeoutMs: 500,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/silent server failed to start: .*\/v1\/health did not answer 200 within 0\.5 s/);
    expect((error as Error).message).toContain("up but not listening");
  });

  it("names the fix when `llama` is not installed", async () => {
    const port = await freePort();
    const error = await startServer({ config: "starter", port, rootDir: root, env: { PATH: root }, forceRestart: false }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/`llama` of llama-stack@0.4.0 is not installed.*scripts\/setup.sh --real-server=llama-stack@0.4.0.*--stack-config=embedded/s);
  });

  it("refuses a port held by something that is not a healthy stack", async () => {
    const port = await freePort();
    const net = await import("node:net");
    const blocker = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => blocker.listen(port, "127.0.0.1", r));
    try {
      const error = await startServer({ config: "starter", port, rootDir: root, env: process.env, forceRestart: false, command: fake(port) }).catch((e: unknown) => e);
      expect((error as Error).message).toContain(`Port ${port} is in use but http://127.0.0.1:${port}/v1/health does not answer 200`);
    } finally {
      blocker.close();
    }
  });
});

/** Starts fixtures/harness.mjs (a parent holding a managed fake stack); `started` resolves once `ready`. */
function startHarness(extra: string[], ready: (root: string, output: string) => boolean, env: NodeJS.ProcessEnv = process.env) {
  const harness = spawn(process.execPath, [HARNESS, path.join(root, "fake.log"), FAKE_STACK, ...extra], { stdio: ["ignore", "pipe", "inherit"], env });
  let out = "";
  harness.stdout.on("data", (c: Buffer) => (out += c.toString()));
  const started = (async () => {
    for (let i = 0; i < 600; i++) {
      if (ready(root, out)) return;
      if (harness.exitCode !== null) throw new Error(`harness exited with ${harness.exitCode}: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("harness did not get ready");
  })();
  return { harness, started, output: () => out };
}

const dataDirs = (dir: string) => fs.readdirSync(dir).filter((n) => n.startsWith("data-"));

describe("no orphans", () => {
  it.for(["SIGINT", "SIGTERM", "SIGKILL"] as const)("%s to the parent stops the server's whole process group and removes its temp dir", async (signal, ctx) => {
    const built = path.join(here, "..", "dist", "lifecycle.js");
    if (!fs.existsSync(built)) ctx.skip(`needs the built lifecycle module (${built}): run pnpm build first`);
    const h = startHarness([], (_root, out) => /READY \d+/.test(out));
    await h.started;
    const pid = Number(/READY (\d+)/.exec(h.output())![1]);
    expect(groupAlive(pid)).toBe(true);
    expect(dataDirs(root)).toHaveLength(1);
    const exited = new Promise<NodeJS.Signals | null>((r) => h.harness.once("exit", (_code, sig) => r(sig)));
    h.harness.kill(signal);
    expect(await exited).toBe(signal);
    expect(await groupGone(pid)).toBe(true);
    expect(dataDirs(root)).toEqual([]);
    expect(fs.readFileSync(path.join(root, "fake.log"), "utf8")).toMatch(/grandchild pid \d+/);
  });

  it("a server stopped because its parent got SIGTERM is not reported as dead", async (ctx) => {
    const built = path.join(here, "..", "dist", "lifecycle.js");
    if (!fs.existsSync(built)) ctx.skip(`needs the built lifecycle module (${built}): run pnpm build first`);
    const h = startHarness([], (_root, out) => /READY \d+/.test(out), { ...process.env, HARNESS_STOPS_ITSELF: "1" });
    await h.started;
    const pid = Number(/READY (\d+)/.exec(h.output())![1]);
    const exited = new Promise<number | null>((r) => h.harness.once("exit", (code) => r(code)));
    h.harness.kill("SIGTERM");
    // The harness leaves a while after its server has: a death report would have come in between.
    expect(await exited).toBe(0);
    expect(await groupGone(pid)).toBe(true);
    expect(h.output()).not.toContain("DIED");
  });

  it("an interrupted start-up leaves neither processes nor its temp dir", async (ctx) => {
    const built = path.join(here, "..", "dist", "lifecycle.js");
    if (!fs.existsSync(built)) ctx.skip(`needs the built lifecycle module (${built}): run pnpm build first`);
    const h = startHarness(["--slow-start"], (dir) => dataDirs(dir).length > 0 && /fake stack starting/.test(fs.readFileSync(path.join(dir, "fake.log"), "utf8")));
    await h.started;
    const exited = new Promise((r) => h.harness.once("exit", r));
    h.harness.kill("SIGINT");
    await exited;
    // A deadline inside the test's timeout, not a count of tries: a loaded machine may take seconds.
    await vi.waitFor(() => expect(dataDirs(root)).toEqual([]), { timeout: 25_000, interval: 50 });
  });
});

describe("a stack that dies mid-run", () => {
  it("is named once, with how it ended and its log's path and tail; a stop is no death", async () => {
    const port = await freePort();
    const start = () =>
      startManagedProcess({
        name: "fake stack",
        command: process.execPath,
        args: [FAKE_STACK, "--port", String(port)],
        env: process.env,
        logFile: path.join(root, "fake.log"),
        baseUrl: `http://127.0.0.1:${port}`,
        startTimeoutMs: 20_000,
      });
    const proc = await start();
    const deaths: string[] = [];
    proc.onDeath((m) => deaths.push(m));
    const died = new Promise<void>((r) => proc.onDeath(() => r()));
    // kill -9 of the stack itself (the supervisor's child), as an out-of-memory kill would.
    const { pid: stackPid } = (await (await fetch(`http://127.0.0.1:${port}/debug/pid`)).json()) as { pid: number };
    process.kill(stackPid, "SIGKILL");
    await died;
    expect(deaths).toHaveLength(1);
    expect(deaths[0]).toMatch(/^fake stack \(pid \d+\) died mid-run: it exited with code 1\.\nLog: .*fake\.log\n--- last lines ---\n[\s\S]*was killed by SIGKILL/);
    await proc.stop();

    const again = await start();
    again.onDeath((m) => deaths.push(m));
    await again.stop();
    expect(deaths).toHaveLength(1);
  });

  it("stopping leaves no timer behind (a pending grace timer kept every package's vitest alive 5 s)", async () => {
    const port = await freePort();
    const proc = await startManagedProcess({
      name: "fake stack",
      command: process.execPath,
      args: [FAKE_STACK, "--port", String(port)],
      env: process.env,
      logFile: path.join(root, "fake.log"),
      baseUrl: `http://127.0.0.1:${port}`,
      startTimeoutMs: 20_000,
    });
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timers();
    await proc.stop();
    expect(timers()).toBeLessThanOrEqual(before);
  });
});

describe("the run lock", () => {
  it("refuses a second run writing the same reports while the first lives, and takes over a dead one's lock", async () => {
    const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    try {
      fs.writeFileSync(path.join(root, ".run.lock"), `${holder.pid}\n`);
      expect(() => acquireRunLock(root, "reports/files")).toThrow(
        new RegExp(`Another run \\(pid ${holder.pid}\\) is writing reports/files in this checkout`),
      );
    } finally {
      holder.kill("SIGKILL");
      await new Promise((r) => holder.once("exit", r));
    }
    const release = acquireRunLock(root, "reports/files");
    expect(fs.readFileSync(path.join(root, ".run.lock"), "utf8").trim()).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(root, ".run.lock"))).toBe(false);
  });
});
