import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Tests that exist only in this repository; they never own recordings. */
const LOCAL_PREFIX = "local/";

/** Listing the tests of one package failed; the message names the package and the fix. */
export class TestListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TestListError";
  }
}

/** The API packages (packages/apis/<api>) that have a vitest config, sorted by directory. */
export function apiPackageDirs(rootDir: string): string[] {
  const apis = path.join(rootDir, "packages", "apis");
  if (!fs.existsSync(apis)) return [];
  return fs
    .readdirSync(apis, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(apis, d.name, "vitest.config.ts")))
    .map((d) => path.join(apis, d.name))
    .sort();
}

/** Upstream test ids from `vitest list --json` output: every test name except local ones. */
export function upstreamIdsOf(listJson: string, source: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(listJson);
  } catch (e) {
    throw new TestListError(`vitest list output of ${source} is not JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new TestListError(`vitest list output of ${source} is not an array of tests`);
  return parsed
    .map((t: { name?: unknown }) => t.name)
    .filter((n): n is string => typeof n === "string" && !n.startsWith(LOCAL_PREFIX));
}

/** The package's vitest entry, found as Node resolves packages: the nearest node_modules upwards. */
function findVitest(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const entry = path.join(d, "node_modules", "vitest", "vitest.mjs");
    if (fs.existsSync(entry)) return entry;
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * Collects one package's tests without running them. The globalSetup still runs (test names
 * depend on the provided options), so its log goes to the returned output, never to stdout.
 */
function listPackage(dir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const vitest = findVitest(dir);
  if (!vitest) return Promise.reject(new TestListError(`vitest is not installed for ${dir}: run pnpm install at the repository root`));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "list-test-ids-"));
  const out = path.join(tmp, "tests.json");
  return new Promise<string[]>((resolve, reject) => {
    const child = spawn(process.execPath, [vitest, "list", `--json=${out}`], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    child.on("error", (e) => reject(new TestListError(`cannot run vitest in ${dir}: ${e.message}`)));
    child.on("exit", (code, signal) => {
      if (code !== 0 || !fs.existsSync(out)) {
        reject(new TestListError(`vitest list failed in ${dir} (${signal ?? `exit ${code}`}); fix the package so its tests collect:\n${log.trim().split("\n").slice(-20).join("\n")}`));
        return;
      }
      try {
        resolve(upstreamIdsOf(fs.readFileSync(out, "utf8"), dir));
      } catch (e) {
        reject(e as Error);
      }
    });
  }).finally(() => fs.rmSync(tmp, { recursive: true, force: true }));
}

/**
 * Every upstream test id the given packages collect under `env`, sorted and unique. Packages are
 * listed a few at a time; any failure rejects the whole listing so a caller never sees a partial one.
 */
export async function listTestIds(dirs: readonly string[], env: NodeJS.ProcessEnv, concurrency = 2): Promise<string[]> {
  const ids = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < dirs.length) {
      for (const id of await listPackage(dirs[next++]!, env)) ids.add(id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, dirs.length) }, worker));
  return [...ids].sort();
}
