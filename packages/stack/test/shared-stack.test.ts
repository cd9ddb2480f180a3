import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findRepoRoot } from "@llama-stack-tests/setups";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dependencyDir } from "../src/lifecycle/path-lookup.js";
import { groupAlive } from "../src/lifecycle/process-group.js";
import { SHARED_STACK_ENV, acquireSharedStack, startSharedStack, suiteRunStopping, type SharedStack } from "../src/lifecycle/shared-stack.js";
import { applyRunEnv, serverReuseKey, startStack, trafficLogPath } from "../src/lifecycle/start.js";
import { readOptions, type RunOptions } from "../src/options.js";

const built = (name: string, file: string) => {
  const dir = dependencyDir(name);
  return dir !== undefined && fs.existsSync(path.join(dir, "dist", file));
};
const ready = built("@llama-stack-tests/embedded-stack", "cli.js") && built("@llama-stack-tests/recording", "index.js");
const root = findRepoRoot();
const NAMES = ["shared-selftest-a", "shared-selftest-b"];

let recordings: string;
let env: NodeJS.ProcessEnv;
let options: RunOptions;
let shared: SharedStack | undefined;
const started: string[] = [];

beforeAll(async () => {
  if (!ready) return;
  recordings = fs.mkdtempSync(path.join(os.tmpdir(), "shared-recordings-"));
  env = { ...process.env, LLAMA_STACK_TEST_RECORDINGS_DIR: recordings };
  for (const key of ["LLAMA_STACK_TEST_SETUP", "LLAMA_STACK_TEST_STACK_CONFIG", "LLAMA_STACK_TEST_INFERENCE_MODE", "LLAMA_CPP_URL", SHARED_STACK_ENV]) delete env[key];
  options = readOptions(env, root);
  const stackEnv = { ...env };
  applyRunEnv(options, stackEnv);
  shared = await startSharedStack({ options, env: stackEnv, key: serverReuseKey(options), trafficLogPathFor: (name) => trafficLogPath(root, name), log: (line) => started.push(line) });
}, 90_000);

afterAll(async () => {
  await shared?.close();
  if (recordings) fs.rmSync(recordings, { recursive: true, force: true });
  for (const name of NAMES) fs.rmSync(path.dirname(trafficLogPath(root, name)), { recursive: true, force: true });
});

describe.skipIf(!ready)("the suite's shared stack (proxy and a pool of embedded stacks in one process)", () => {
  it("starts nothing until a package asks, then the proxy and the pool once for all", async () => {
    expect(started).toEqual([]);
    const answers = await Promise.all([1, 2, 3].map(async () => (await fetch(`${shared!.env[SHARED_STACK_ENV]}/pool`)).json() as Promise<{ key: string; url: string }>));
    expect(new Set(answers.map((a) => a.url)).size).toBe(1);
    expect(answers[0]!.key).toBe(serverReuseKey(options));
    expect(started).toHaveLength(1);
    expect(started[0]).toMatch(/^shared embedded stack pool at http:\/\/127\.0\.0\.1:\d+ .*recording proxy at/);
  });

  it("gives each package a stack of its own, whose provider traffic lands in that package's log only", async () => {
    const pkgEnv = { ...env, ...shared!.env };
    // A log left by an earlier run is emptied, as a package's own proxy would.
    fs.mkdirSync(path.dirname(trafficLogPath(root, NAMES[1]!)), { recursive: true });
    fs.writeFileSync(trafficLogPath(root, NAMES[1]!), '{"outcome":"hit"}\n');
    const [a, b] = await Promise.all(NAMES.map((name) => startStack(options, applyRunEnv(options, { ...pkgEnv }), pkgEnv, name)));
    try {
      expect(a!.description).toMatch(/^stack shared-selftest-a-\d+ at http:\/\/127\.0\.0\.1:\d+ from the suite's shared embedded stack pool/);
      expect(a!.baseUrl).not.toBe(b!.baseUrl);
      // No recordings: the proxy answers with a miss, logged under the stack that asked.
      const res = await fetch(`${a!.baseUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "llama-cpp/tiny-random-llama", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      const lines = (name: string) => fs.readFileSync(trafficLogPath(root, name), "utf8").split("\n").filter(Boolean);
      expect(lines(NAMES[0]!).map((l) => (JSON.parse(l) as { endpoint: string }).endpoint)).toContain("/v1/chat/completions");
      // B's own start-up model listing may be there; A's request and the earlier run's line are not.
      expect(lines(NAMES[1]!).map((l) => (JSON.parse(l) as { endpoint?: string }).endpoint ?? "earlier run")).not.toContain("/v1/chat/completions");
      expect(lines(NAMES[1]!)).not.toContain('{"outcome":"hit"}');
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
    expect(await fetch(`${a!.baseUrl}/v1/health`).then(() => "up", () => "down")).toBe("down");
  });

  it("is never taken by a package run for other options", async () => {
    const other = readOptions({ ...env, LLAMA_STACK_TEST_INFERENCE_MODE: "record-if-missing" }, root);
    const value = shared!.env[SHARED_STACK_ENV]!;
    await expect(acquireSharedStack(value, NAMES[0]!, serverReuseKey(other), trafficLogPath(root, NAMES[0]!))).rejects.toThrow(
      /was started for other options .* it is never reused\. .*unset LLAMA_STACK_TEST_SHARED_STACK to start its own stack/,
    );
  });

  it("names the fix when the variable is not the suite's or its pool is gone", async () => {
    await expect(acquireSharedStack("not json", "x", "k", trafficLogPath(root, NAMES[0]!))).rejects.toThrow(/is not what `pnpm suite` sets .* unset it/);
    await expect(acquireSharedStack("http://127.0.0.1:9", "x", "k", trafficLogPath(root, NAMES[0]!))).rejects.toThrow(/does not answer at http:\/\/127\.0\.0\.1:9\/pool/);
  });

  it("stops the pool's whole process group on close", async () => {
    const { pid } = (await (await fetch(`${shared!.env[SHARED_STACK_ENV]}/pool`)).json()) as { pid: number };
    expect(groupAlive(pid)).toBe(true);
    await shared!.close();
    shared = undefined;
    expect(groupAlive(pid)).toBe(false);
  });

  it("tells its packages when the run is being stopped, so the pool's end then is no death", async () => {
    const run = await startSharedStack({ options, env: { ...env }, key: serverReuseKey(options), trafficLogPathFor: (name) => trafficLogPath(root, name), log: () => {} });
    try {
      const broker = run.env[SHARED_STACK_ENV]!;
      expect(await suiteRunStopping(broker)).toBe(false);
      run.stopping();
      expect(await suiteRunStopping(broker)).toBe(true);
    } finally {
      await run.close();
    }
    // A broker that is gone took its run with it.
    expect(await suiteRunStopping("http://127.0.0.1:9")).toBe(true);
  });
});
