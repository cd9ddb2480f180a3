import { execFileSync } from "node:child_process";
import path from "node:path";
import type { RunEnvironment } from "./model.js";

/** HEAD of the checkout at `dir`, or undefined outside a git checkout. */
export function gitCommit(dir: string): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The run's stamp from the harness's LLAMA_STACK_TEST_* env and the checkout's commit. */
export function environmentFromEnv(repoRoot: string, env: NodeJS.ProcessEnv = process.env): RunEnvironment {
  const stamp: RunEnvironment = {};
  if (env.LLAMA_STACK_TEST_STACK_CONFIG) stamp.stackConfig = env.LLAMA_STACK_TEST_STACK_CONFIG;
  // The embedded stack is no release of a server; any other stack is the target the run named.
  if (env.LLAMA_STACK_TEST_TARGET && (stamp.stackConfig ?? "embedded") !== "embedded") stamp.target = env.LLAMA_STACK_TEST_TARGET;
  if (env.LLAMA_STACK_TEST_SETUP) stamp.setup = env.LLAMA_STACK_TEST_SETUP;
  if (env.LLAMA_STACK_TEST_INFERENCE_MODE) stamp.inferenceMode = env.LLAMA_STACK_TEST_INFERENCE_MODE;
  const recordings = env.LLAMA_STACK_TEST_RECORDINGS_DIR && path.resolve(repoRoot, env.LLAMA_STACK_TEST_RECORDINGS_DIR);
  // The project's own recordings are the default, however they were named.
  if (recordings && recordings !== path.join(repoRoot, "recordings")) stamp.recordingsDir = path.relative(repoRoot, recordings) || ".";
  const commit = gitCommit(repoRoot);
  if (commit) stamp.commit = commit;
  return stamp;
}

/**
 * What makes two reports results of the same run configuration. The commit and time are not part
 * of it: turbo serves a package's unchanged tests from its cache, keeping the earlier report.
 * Unset fields are the harness's defaults (embedded stack, embedded setup, replay).
 */
export function runConfiguration(env: RunEnvironment): string {
  const parts = [
    `stack ${env.stackConfig ?? "embedded"}`,
    ...(env.target ? [`target ${env.target}`] : []),
    `setup ${env.setup ?? "embedded"}`,
    `mode ${env.inferenceMode ?? "replay"}`,
  ];
  if (env.recordingsDir) parts.push(`recordings ${env.recordingsDir}`);
  return parts.join(", ");
}

/** One line for a report header: configuration, commit and time. */
export function formatStamp(env: RunEnvironment, generatedAt: string): string {
  return `${runConfiguration(env)}, commit ${env.commit ? env.commit.slice(0, 12) : "unknown"}, at ${generatedAt}`;
}
