#!/usr/bin/env node
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TRAFFIC_LOG_NAME } from "@llama-stack-tests/fidelity";
import { environmentFromEnv, notRunReport, runReportCli, writeApiReport } from "@llama-stack-tests/report";
import { onStopRequest } from "@llama-stack-tests/recording";
import { findRepoRoot, loadSuites } from "@llama-stack-tests/setups";
import { spawnGroup, type ChildGroup } from "./child-group.js";
import { USAGE, formatList, parseCliArgs, planRun, type RunPlan } from "./cli-args.js";
import { runFidelityStep } from "./cli-fidelity.js";
import { OPTION_ENV } from "./env-names.js";
import { apiPackageDirs, listTestIds } from "./cli-test-ids.js";
import { writeServerTraffic } from "./lifecycle/record-log.js";
import { isHealthy } from "./lifecycle/health.js";
import { serverRecordLogPath } from "./lifecycle/server.js";
import { applyRunEnv, serverReuseKey, startStack, trafficLogPath } from "./lifecycle/start.js";
import { startSharedStack, type SharedStack } from "./lifecycle/shared-stack.js";
import type { RunningStack } from "./lifecycle/types.js";
import { readOptions } from "./options.js";
import { serve } from "./serve.js";
import { runTsClientAfterSuite } from "./ts-client/after-suite.js";
import { CLIENT_REPORT_NAME } from "./ts-client/run.js";
import { TS_CLIENT_PATH_ENV, parseTsClientPath } from "./ts-client/source.js";
import { parseStackConfig } from "./stack-config.js";

/** Set once the run is asked to stop (signal, or orphaned): nothing more is started or written. */
let stopRequested: NodeJS.Signals | undefined;
let turbo: ChildGroup | undefined;
/** Replay on the embedded stack: the proxy and pool of the run (shared-stack.ts). */
let shared: SharedStack | undefined;

/** Turbo in a process group of its own, stopped whole when the run is. */
async function runTurbo(plan: RunPlan, env: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  turbo = spawnGroup(plan.command, plan.args, { cwd: plan.cwd, env });
  try {
    return await turbo.exited;
  } catch (e) {
    throw new Error(`cannot run turbo (${(e as Error).message}): run pnpm install at the repository root`);
  }
}

const exitCodeOf = (signal: NodeJS.Signals) => 128 + (os.constants.signals[signal] ?? 1);

async function main(): Promise<number> {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const rootDir = findRepoRoot();
  const suites = loadSuites(rootDir);
  if (args.list) {
    console.log(formatList(suites));
    return 0;
  }
  if (args.command === "serve") return serve(args, suites, rootDir);
  const plan = planRun(args, suites, rootDir);
  // Checked before the suite runs: a bad TS_CLIENT_PATH should not cost a whole suite first.
  const tsClientPath = process.env[TS_CLIENT_PATH_ENV];
  const tsClient = tsClientPath ? parseTsClientPath(tsClientPath, process.env.INIT_CWD ?? process.cwd()) : undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, ...plan.env };
  // With --list-test-ids stdout carries only the ids; progress goes to stderr.
  const log = args.listTestIds ? console.error : console.log;
  log(`llama-stack-test: ${args.listTestIds ? "listing test ids" : `suite ${plan.suite.name}`}, ${Object.entries(plan.env).map(([k, v]) => `${k}=${k.endsWith("_ENV") ? "<set>" : v}`).join(" ")}`);

  // The API packages run in parallel: one `llama stack run` for all of them, started here, which
  // each package then finds healthy on its port and reuses.
  let server: RunningStack | undefined;
  /** A server with its builtin recorder: its record log says what was hit, from this offset on. */
  let recordLog: { path: string; fromOffset: number } | undefined;
  const target = parseStackConfig(plan.env.LLAMA_STACK_TEST_STACK_CONFIG, env);
  const options = readOptions(env, rootDir);
  if (target.kind === "url" && !args.listTestIds && !(await isHealthy(target.baseUrl))) {
    // Checked once here, not once per package: the run could not test, and its report says so per API.
    const cause = `no Llama Stack answers at ${target.baseUrl}/v1/health`;
    const reportsDir = path.join(rootDir, "reports");
    const stamp = environmentFromEnv(rootDir, env);
    for (const api of plan.suite.packages) await writeApiReport(notRunReport(api, cause, stamp), reportsDir);
    await runReportCli(["--apis", plan.suite.packages.join(",")], rootDir);
    console.error(`llama-stack-test: ${cause}. Start it, or use --stack-config=embedded (or server:<config> to have it started).`);
    return 1;
  }
  if (target.kind === "server") {
    server = await startStack(options, applyRunEnv(options, env), env);
    log(`llama-stack-test: ${server.description}`);
    server.onDeath?.((message) => console.error(`llama-stack-test: ${message}\nThe tests that fail from here on failed because the server died.`));
    if (options.recorder === "builtin") {
      const file = serverRecordLogPath(rootDir, target.port);
      recordLog = { path: file, fromOffset: fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0 };
    }
  }
  // Replay on the embedded stack: one proxy and one process of stacks for the whole run, started when
  // the first package asks, each package taking a fresh stack of its own from it (shared-stack.ts).
  if (target.kind === "embedded" && options.inferenceMode === "replay" && !args.listTestIds && !stopRequested) {
    const stackEnv = { ...env };
    applyRunEnv(options, stackEnv);
    shared = await startSharedStack({
      options,
      env: stackEnv,
      key: serverReuseKey(options),
      trafficLogPathFor: (name) => trafficLogPath(rootDir, name),
      log: (line) => log(`llama-stack-test: ${line}`),
    });
    Object.assign(env, shared.env);
    log(`llama-stack-test: ${shared.description}`);
    shared.onDeath?.((message) => console.error(`llama-stack-test: ${message}\nThe tests that fail from here on failed because the shared stack died.`));
  }
  try {
    if (args.listTestIds) {
      const ids = await listTestIds(apiPackageDirs(rootDir), env);
      // A pipe takes the write asynchronously: exiting before it drains would cut the list short.
      await new Promise<void>((resolve, reject) => process.stdout.write(ids.map((id) => `${id}\n`).join(""), (e) => (e ? reject(e) : resolve())));
      return 0;
    }
    if (stopRequested) return exitCodeOf(stopRequested);
    console.log(`llama-stack-test: turbo ${plan.args.join(" ")}`);
    const { code, signal } = await runTurbo(plan, env);
    // A stopped run writes nothing more: no merged report of half a run.
    if (stopRequested) return exitCodeOf(stopRequested);
    if (signal) return exitCodeOf(signal);
    // As upstream's integration-tests.sh: the outside client tests after the suite, on the same stack.
    const client = tsClient ? await runTsClientAfterSuite(tsClient, { rootDir, suite: plan.suite.name, options, env, ...(server ? { shared: server } : {}) }) : undefined;
    // Merge the per-API reports so a suite run ends with its conformance summary.
    // Only this run's APIs: a report another run left on disk is not this run's result.
    const merged = [...plan.suite.packages, ...(client?.reported ? [CLIENT_REPORT_NAME] : [])];
    const reportCode = await runReportCli(["--apis", merged.join(",")], rootDir);
    const testsCode = code === 0 ? reportCode || (client?.code ?? 0) : (code ?? 1);
    if (plan.env[OPTION_ENV.inferenceMode] !== "replay") return testsCode;
    if (recordLog) {
      // The server's own recorder answered, not our proxy: its log is the run's traffic.
      const t = writeServerTraffic({
        logPath: recordLog.path,
        fromOffset: recordLog.fromOffset,
        recordingsDir: options.recordingsDir,
        reportsDir: path.join(rootDir, "reports"),
        apis: plan.suite.packages,
        trafficLogName: TRAFFIC_LOG_NAME,
      });
      console.log(`llama-stack-test: ${t.lookups} recording lookups in ${path.relative(rootDir, recordLog.path)} (${t.unattributed} outside the suite's tests)`);
    }
    const stack = target.kind === "server" ? `real Llama Stack server (\`llama stack run ${target.config}\`${recordLog ? ", its own recorder" : ""})` : target.kind === "url" ? `stack at ${target.baseUrl}` : "embedded TypeScript stack";
    const fidelityCode = await runFidelityStep(plan.suite, plan.setup, stack, env, rootDir, {
      ...(args.fidelityBaseline ? { baseline: args.fidelityBaseline } : {}),
      ...(args.writeFidelityBaseline ? { writeBaseline: args.writeFidelityBaseline } : {}),
    });
    // With a baseline (held or written) the verdict is the baseline's and its known gaps': every failure is listed there with its cause.
    return args.fidelityBaseline || args.writeFidelityBaseline ? fidelityCode : testsCode;
  } finally {
    await server?.close();
    await shared?.close();
  }
}

// SIGINT/SIGTERM/SIGHUP to this process, or its parent (pnpm) gone: stop turbo's whole group, then
// the server (main's finally), and exit by the signal.
onStopRequest((signal) => {
  stopRequested = signal;
  console.error(`llama-stack-test: ${signal}: stopping the run`);
  // Before the lifecycle's own handler stops the pool: its packages must not report that as a death.
  shared?.stopping();
  void turbo?.stop(signal);
});

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`llama-stack-test: ${(e as Error).message}`);
    process.exit(2);
  },
);
