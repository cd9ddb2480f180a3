import path from "node:path";
import { environmentFromEnv, notRunReport, runState, writeApiReport } from "@llama-stack-tests/report";
import type { TestProject } from "vitest/node";
import { startStack, applyRunEnv, trafficLogPath } from "./lifecycle/start.js";
import { readOptions, usesOwnRecordings } from "./options.js";
import { PROVIDE_KEY } from "./provided.js";
import { acquireRunLock } from "./run-lock.js";
import "./provided.js";

/**
 * vitest globalSetup of every API package: resolves the run's options from LLAMA_STACK_TEST_*
 * env, starts the stack once for the package's run and provides it to the test workers. A stack
 * that cannot start becomes the package's "not run" report (and vitest's failure); a stack that
 * dies mid-run is named once, and the reporter files the failures after it as not run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const options = readOptions();
  const api = project.name;
  const reportsDir = path.join(options.rootDir, "reports");
  const releaseLock = api ? acquireRunLock(path.join(reportsDir, api), `reports/${api}`) : () => {};
  const supplied = applyRunEnv(options);
  let stack;
  try {
    stack = await startStack(options, supplied, process.env, api || undefined);
  } catch (e) {
    if (api) {
      const cause = (e as Error).message;
      runState().notRun = cause;
      await writeApiReport(notRunReport(api, cause, environmentFromEnv(options.rootDir)), reportsDir);
    }
    releaseLock();
    throw e;
  }
  console.log(`[llama-stack-tests] setup ${options.setupName}, ${options.inferenceMode}: ${stack.description}`);
  stack.onDeath?.((message) => {
    runState().stackDied = { at: Date.now(), message };
    console.error(`[llama-stack-tests] ${message}\nThe tests that fail from here on are reported as not run, not as non-conformant.`);
  });
  const trafficLog = api && usesOwnRecordings(options) ? { trafficLog: trafficLogPath(options.rootDir, api) } : {};
  project.provide(PROVIDE_KEY, { baseUrl: stack.baseUrl, options, ...trafficLog });
  return async () => {
    try {
      await stack.close();
    } finally {
      releaseLock();
    }
  };
}
