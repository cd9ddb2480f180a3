/** Files of upstream's reference tree (its root: upstreamDir of @llama-stack-tests/setups). */
import fs from "node:fs";
import path from "node:path";
import { UPSTREAM_DIR_ENV, findRepoRoot, upstreamDir as upstreamDirOf } from "@llama-stack-tests/setups";

export { UPSTREAM_DIR_ENV };

/** The reference tree's root (it may not exist: a user's clone has none). */
export function upstreamDir(rootDir: string = findRepoRoot(), env: NodeJS.ProcessEnv = process.env): string {
  return upstreamDirOf(rootDir, env);
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
