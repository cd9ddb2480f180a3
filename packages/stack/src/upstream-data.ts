/**
 * Upstream's reference tree (recordings, images, test-case tables) lives next to the repository, never
 * inside it: `<repo>/../shared/llama-stack-upstream` unless LLAMA_STACK_UPSTREAM_DIR names another place.
 */
import fs from "node:fs";
import path from "node:path";
import { findRepoRoot } from "@llama-stack-tests/setups";

export const UPSTREAM_DIR_ENV = "LLAMA_STACK_UPSTREAM_DIR";

/** The reference tree's root (it may not exist: a user's clone has none). */
export function upstreamDir(rootDir: string = findRepoRoot(), env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[UPSTREAM_DIR_ENV];
  return configured ? path.resolve(rootDir, configured) : path.join(rootDir, "..", "shared", "llama-stack-upstream");
}

/** Path of a file under the tree's tests/integration, e.g. "inference/dog.png". */
export function upstreamDataPath(relative: string, rootDir?: string, env?: NodeJS.ProcessEnv): string {
  return path.join(upstreamDir(rootDir, env), "tests", "integration", relative);
}

/** Bytes of such a file, or undefined when the tree (or the file) is absent. */
export function readUpstreamData(relative: string): Buffer | undefined {
  const file = upstreamDataPath(relative);
  return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
}
