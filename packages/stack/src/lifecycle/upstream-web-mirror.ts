/**
 * Upstream's tests make the stack download their data from GitHub (e.g. inference/dog.png); upstream's
 * recordings hold those bytes inline. When upstream's reference tree is next to the repository, the
 * offline web mirror serves its tests/integration directory in GitHub's place, so those tests replay
 * without network access. Without the tree nothing is started.
 */
import fs from "node:fs";
import path from "node:path";
import { upstreamDir } from "../upstream-data.js";
import { startOfflineWebMirror } from "./offline-web-mirror.js";

export { UPSTREAM_DIR_ENV } from "../upstream-data.js";
/** The embedded stack's URL mirror variable: JSON object of URL prefix -> replacement prefix. */
export const URL_MIRRORS_ENV = "LLAMA_STACK_URL_MIRRORS";
/** The prefix upstream's tests fetch their data files from. */
export const UPSTREAM_TEST_DATA_URL = "https://raw.githubusercontent.com/meta-llama/llama-stack/main/tests/integration/";

export interface UpstreamWebMirror {
  /** Env for the stack process: URL_MIRRORS_ENV mapping UPSTREAM_TEST_DATA_URL to the mirror. */
  stackEnv: Record<string, string>;
  /** For the run's log line. */
  description: string;
  close(): Promise<void>;
}

/** Upstream's tests/integration directory, or undefined when the reference tree is absent. */
export function upstreamTestDataDir(rootDir: string, env: NodeJS.ProcessEnv): string | undefined {
  const dir = path.join(upstreamDir(rootDir, env), "tests", "integration");
  return fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? dir : undefined;
}

/**
 * Starts the mirror over upstream's test data, or returns undefined when there is no tree to serve or
 * the caller set URL_MIRRORS_ENV itself (its mapping is kept as given).
 */
export async function startUpstreamWebMirror(rootDir: string, env: NodeJS.ProcessEnv): Promise<UpstreamWebMirror | undefined> {
  if (env[URL_MIRRORS_ENV]) return undefined;
  const root = upstreamTestDataDir(rootDir, env);
  if (!root) return undefined;
  const mirror = await startOfflineWebMirror({ root, host: "127.0.0.1", port: 0 });
  return {
    stackEnv: { [URL_MIRRORS_ENV]: JSON.stringify({ [UPSTREAM_TEST_DATA_URL]: mirror.url }) },
    description: `offline web mirror at ${mirror.url} for ${UPSTREAM_TEST_DATA_URL} (serving ${root})`,
    close: () => mirror.close(),
  };
}
