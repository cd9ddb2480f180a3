import path from "node:path";

export const UPSTREAM_DIR_ENV = "LLAMA_STACK_UPSTREAM_DIR";

/**
 * Upstream's reference tree (recordings, images, test-case tables, ci_matrix.json) lives next to the
 * repository, never inside it: `<repo>/../shared/llama-stack-upstream` unless LLAMA_STACK_UPSTREAM_DIR
 * names another place. It may not exist: a user's clone has none.
 */
export function upstreamDir(rootDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[UPSTREAM_DIR_ENV];
  return configured ? path.resolve(rootDir, configured) : path.join(rootDir, "..", "shared", "llama-stack-upstream");
}
