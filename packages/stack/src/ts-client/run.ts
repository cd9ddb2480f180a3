import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPORT_SCHEMA_VERSION, summarize, writeApiReport } from "@llama-stack-tests/report";
import { OptionsError } from "../errors.js";
import type { RunOptions } from "../options.js";
import { outsideRunnerEnv } from "../outside-env.js";
import { clientTestRecords, type JestJsonResult } from "./results.js";
import { CLIENT_PACKAGE, OWN_CLIENT_TESTS_DIR, type TsClientSource } from "./source.js";
import { readClientSuites, selectClientFiles } from "./suites.js";

/** The report section (reports/<name>/) of the client tests, beside the API packages' sections. */
export const CLIENT_REPORT_NAME = "client-typescript";

export interface TsClientRunOptions {
  source: TsClientSource;
  rootDir: string;
  suite: string;
  options: RunOptions;
  /** The stack the suite ran against, still up. */
  baseUrl: string;
  /** Default: <rootDir>/reports. */
  reportsDir?: string;
  log?: (line: string) => void;
}

type Runner = "vitest" | "jest";

/** The step's exit code, and whether it wrote reports/client-typescript/ (the run's merge then includes it). */
export interface TsClientOutcome {
  code: number;
  reported: boolean;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: "inherit" });
    child.on("error", (e) => reject(new Error(`cannot run ${command} (${e.message})`)));
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

function detectRunner(dir: string): Runner {
  const pkg = readJson<{ dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>(path.join(dir, "package.json"));
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  if ("vitest" in deps) return "vitest";
  if ("jest" in deps) return "jest";
  throw new OptionsError(`${dir}/package.json names neither vitest nor jest: the client tests need one of them to run and to report per test`);
}

/** node_modules/.bin/<name> of the project or of a directory above it (a workspace's hoisted bins). */
function findBin(dir: string, name: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const bin = path.join(d, "node_modules", ".bin", name);
    if (fs.existsSync(bin)) return bin;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The version of llama-stack-client the project resolves, for the report line. */
function clientVersion(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    const file = path.join(d, "node_modules", CLIENT_PACKAGE, "package.json");
    if (fs.existsSync(file)) return readJson<{ version: string }>(file).version;
    if (path.dirname(d) === d) return "not installed";
  }
}

/**
 * Vitest looks for a config upwards from the project; a project without one of its own (ours, in this
 * repo) would otherwise pick up a parent package's config and its include patterns.
 */
function vitestConfigArgs(dir: string, tmp: string): string[] {
  if (fs.readdirSync(dir).some((f) => /^vitest\.config\.[cm]?[jt]s$/.test(f))) return [];
  const empty = path.join(tmp, "vitest.config.mjs");
  fs.writeFileSync(empty, "export default {};\n");
  return ["--config", empty];
}

const npm = () => (process.platform === "win32" ? "npm.cmd" : "npm");

/** Builds an SDK checkout in place (npm install, then its build script when it has one), as upstream's script does. */
export async function buildCheckout(dir: string, log: (l: string) => void): Promise<void> {
  log(`client-typescript: building the ${CLIENT_PACKAGE} checkout at ${dir}`);
  if ((await run(npm(), ["install", "--no-audit", "--no-fund", "--loglevel=error"], dir, process.env)) !== 0) throw new OptionsError(`npm install in the checkout ${dir} failed`);
  const { scripts } = readJson<{ scripts?: Record<string, string> }>(path.join(dir, "package.json"));
  if (scripts?.build && (await run(npm(), ["run", "build", "--silent"], dir, process.env)) !== 0) throw new OptionsError(`npm run build in the checkout ${dir} failed`);
}

/** A copy of the own client test project with the requested llama-stack-client installed by npm. */
async function prepareCopy(rootDir: string, installSpec: string, tmp: string, log: (l: string) => void): Promise<string> {
  const dir = path.join(tmp, "client-tests");
  fs.cpSync(path.join(rootDir, OWN_CLIENT_TESTS_DIR), dir, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
  log(`client-typescript: npm install ${installSpec} into a copy of ${OWN_CLIENT_TESTS_DIR}`);
  const code = await run(npm(), ["install", "--no-audit", "--no-fund", "--loglevel=error", installSpec], dir, process.env);
  if (code !== 0) throw new OptionsError(`npm install ${installSpec} failed (exit ${code}); check the version exists: npm view ${CLIENT_PACKAGE} versions`);
  return dir;
}

/**
 * Runs a TypeScript client test project against the suite's stack, as upstream's integration-tests.sh
 * does after the Python tests: files from the project's suites.json, upstream's env, and the results
 * written as their own report section (reports/client-typescript/). Resolves to the exit code.
 */
export async function runTsClientTests(opts: TsClientRunOptions): Promise<TsClientOutcome> {
  const log = opts.log ?? console.log;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "client-typescript-"));
  try {
    if (opts.source.kind === "client" && opts.source.checkout) await buildCheckout(opts.source.checkout, log);
    const dir = opts.source.kind === "project" ? opts.source.dir : await prepareCopy(opts.rootDir, opts.source.installSpec, tmp, log);
    const files = selectClientFiles(readClientSuites(dir), opts.suite, opts.options.setupName);
    if (files.length === 0) {
      log(`client-typescript: no client tests mapped for suite ${opts.suite} (setup ${opts.options.setupName}) in ${path.join(dir, "suites.json")}`);
      return { code: 0, reported: false };
    }
    const runner = detectRunner(dir);
    let bin = findBin(dir, runner);
    if (!bin && !fs.existsSync(path.join(dir, "node_modules"))) {
      log(`client-typescript: npm install in ${dir}`);
      if ((await run(npm(), ["install", "--no-audit", "--no-fund", "--loglevel=error"], dir, process.env)) !== 0) throw new OptionsError(`npm install in ${dir} failed`);
      bin = findBin(dir, runner);
    }
    if (!bin) throw new OptionsError(`${runner} is not installed for ${dir}: run npm install there`);
    const out = path.join(tmp, "results.json");
    const args =
      runner === "vitest"
        ? ["run", "--root", dir, ...vitestConfigArgs(dir, tmp), "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...files]
        : [...(fs.existsSync(path.join(dir, "jest.integration.config.js")) ? ["--config", "jest.integration.config.js"] : []), "--json", `--outputFile=${out}`, ...files];
    const env = { ...process.env, ...outsideRunnerEnv(opts.baseUrl, opts.suite, opts.options) };
    const label = `${CLIENT_PACKAGE} ${clientVersion(dir)}`;
    log(`client-typescript: ${runner} ${files.join(" ")} in ${dir} (${label}) against ${opts.baseUrl}`);
    const code = await run(bin, args, dir, env);
    const { tests, fileErrors } = fs.existsSync(out) ? clientTestRecords(readJson<JestJsonResult>(out), dir) : { tests: [], fileErrors: [{ file: dir, message: `${runner} wrote no results (exit ${code})` }] };
    const summary = summarize(CLIENT_REPORT_NAME, tests, fileErrors);
    const reportsDir = opts.reportsDir ?? path.join(opts.rootDir, "reports");
    const written = await writeApiReport(
      {
        schemaVersion: REPORT_SCHEMA_VERSION,
        api: CLIENT_REPORT_NAME,
        generatedAt: new Date().toISOString(),
        environment: { stackConfig: opts.options.stackConfig, setup: opts.options.setupName, inferenceMode: opts.options.inferenceMode },
        summary,
        fileErrors,
        tests,
      },
      reportsDir,
    );
    log(
      `client-typescript (${label}): ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped` +
        `${fileErrors.length ? `, ${fileErrors.length} file errors` : ""}; ${written.markdown}`,
    );
    return { code: code === 0 && summary.failed === 0 && fileErrors.length === 0 && tests.length > 0 ? 0 : 1, reported: true };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
