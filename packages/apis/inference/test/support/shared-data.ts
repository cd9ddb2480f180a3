import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Upstream reference data lives next to the repository, never inside it. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../..");
export const SHARED_UPSTREAM_DIR = join(REPO_ROOT, "..", "shared", "llama-stack-upstream");

/** Path of an upstream integration-test data file, e.g. "inference/dog.png". */
export function upstreamDataPath(relative: string): string {
  return join(SHARED_UPSTREAM_DIR, "tests", "integration", relative);
}

/** Bytes of an upstream data file, or undefined when the reference tree is absent. */
export function readUpstreamData(relative: string): Buffer | undefined {
  const path = upstreamDataPath(relative);
  return existsSync(path) ? readFileSync(path) : undefined;
}
