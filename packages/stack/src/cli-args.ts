import { randomUUID } from "node:crypto";
import path from "node:path";
import { SETUPS, getSetup, getSuite, type Suite } from "@llama-stack-tests/setups";
import { OPTION_ENV, optionFromEnv, type OptionKey } from "./env-names.js";
import { apiPackageDirs } from "./cli-test-ids.js";
import { OptionsError } from "./errors.js";
import { parseInferenceMode, reachesProvider, type InferenceMode } from "./inference-mode.js";
import { formatEnvList, parseEmbeddingDimension, parseEnvList, parseRecorder } from "./options.js";
import { parseServerTarget } from "./server-targets.js";
import { parseStackConfig, type StackTarget } from "./stack-config.js";

/** CLI flags that map one-to-one onto LLAMA_STACK_TEST_* variables. */
const VALUE_FLAGS: Readonly<Record<string, OptionKey>> = {
  "stack-config": "stackConfig",
  setup: "setup",
  "inference-mode": "inferenceMode",
  "text-model": "textModel",
  "vision-model": "visionModel",
  "embedding-model": "embeddingModel",
  "rerank-model": "rerankModel",
  "safety-shield": "safetyShield",
  "judge-model": "judgeModel",
  "embedding-dimension": "embeddingDimension",
  recorder: "recorder",
  "recordings-dir": "recordingsDir",
  target: "target",
};

/** `run` (the default) runs a suite; `serve` only starts the stack for outside clients (serve.ts). */
export type CliCommand = "run" | "serve";

export interface CliArgs {
  command: CliCommand;
  suite?: string;
  list: boolean;
  /** Print the upstream test ids of every API package (one per line) instead of running them. */
  listTestIds: boolean;
  help: boolean;
  values: Partial<Record<OptionKey, string>>;
  env: string[];
  /** --filter: API packages to run instead of the suite's (upstream's --subdirs); the suite still picks the setup. */
  filter?: string[];
  /** Replay runs: the fidelity baseline to hold (--fidelity-baseline) and to write (--write-fidelity-baseline). */
  fidelityBaseline?: string;
  writeFidelityBaseline?: string;
  /** Everything after `--`, passed to vitest. */
  vitestArgs: string[];
}

export const USAGE = `Usage: llama-stack-test [serve] [--suite=NAME] [--setup=NAME] [--stack-config=CONFIG] [--inference-mode=MODE]
  [--text-model=M[,M]] [--vision-model=M] [--embedding-model=M] [--safety-shield=S] [--judge-model=M]
  [--rerank-model=M] [--embedding-dimension=N] [--recordings-dir=DIR] [--recorder=proxy|builtin]
  [--target=llama-stack@0.4.0|llama-stack@0.7.x|ogx@1.x]
  [--env KEY=VALUE]... [--filter=API[,API]] [--fidelity-baseline=FILE] [--write-fidelity-baseline=FILE]
  [--list] [--list-test-ids] [-- vitest args]

Runs the suite's API packages with turbo (turbo run test --filter=<package>...), exporting every
option as LLAMA_STACK_TEST_*. Defaults: suite base, stack-config embedded, mode replay; setup
embedded for the embedded stack, else the suite's default setup.
--target names the real server a server:<config> stack runs (its venv, start command, header and
variable names; tests of routes it removed skip with "removed in <version>"); default llama-stack@0.4.0.
--filter runs those API packages (packages/apis/<API>) instead of the suite's, as upstream's --subdirs
does, e.g. \`--inference-mode=record --filter=inference\` re-records one API with the embedded setup's model.
--list-test-ids collects (does not run) every API package's tests under the same options and
prints their upstream test ids, one per line, e.g. for \`recordings prune --tests -\`.
Replay runs end with the fidelity report (reports/fidelity-<setup>.json and .md): per API, recordings
hit / available, tests passed on the replayed output, and every miss grouped by cause.
--fidelity-baseline=FILE then sets the exit code: 1 when a test the baseline lists stopped hitting
or passing, when a test failed that FILE's known gaps (FILE with .known-gaps.json; without that file
failures are reported, not held) do not list with its cause, or when a listed gap no longer fails so; --write-fidelity-baseline=FILE saves this run's
hitting and passing tests as the new baseline and its failures, with their causes, as the known gaps.
\`serve\` starts the stack (proxy, stack, web mirror, tool replay, traffic log) under the same options
without running tests, prints its base URL and the environment an outside test runner needs, and
stops everything on Ctrl-C or SIGTERM (it takes no --list, --list-test-ids, fidelity flags or '--').`;

/** Parses argv (without node and script): --flag=value and --flag value both work. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { command: "run", list: false, listTestIds: false, help: false, values: {}, env: [], vitestArgs: [] };
  let start = 0;
  if (argv[0] === "serve") {
    args.command = "serve";
    start = 1;
  }
  for (let i = start; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      args.vitestArgs = argv.slice(i + 1);
      break;
    }
    if (arg === "--list") { args.list = true; continue; }
    if (arg === "--list-test-ids") { args.listTestIds = true; continue; }
    if (arg === "--help" || arg === "-h") { args.help = true; continue; }
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new OptionsError(`Unexpected argument '${arg}'. Pass vitest arguments after '--'.\n${USAGE}`);
    const name = m[1]!;
    let value = m[2];
    if (!["suite", "env", "filter", "fidelity-baseline", "write-fidelity-baseline"].includes(name) && !(name in VALUE_FLAGS)) {
      throw new OptionsError(`Unknown option --${name}.\n${USAGE}`);
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith("--")) throw new OptionsError(`--${name} needs a value`);
    }
    if (name === "suite") args.suite = value;
    else if (name === "env") args.env.push(value);
    else if (name === "filter") args.filter = [...(args.filter ?? []), ...value.split(",").map((v) => v.trim()).filter(Boolean)];
    else if (name === "fidelity-baseline") args.fidelityBaseline = value;
    else if (name === "write-fidelity-baseline") args.writeFidelityBaseline = value;
    else args.values[VALUE_FLAGS[name]!] = value;
  }
  if (args.command === "serve") {
    const runOnly = [
      args.list && "--list",
      args.listTestIds && "--list-test-ids",
      args.fidelityBaseline !== undefined && "--fidelity-baseline",
      args.writeFidelityBaseline !== undefined && "--write-fidelity-baseline",
      args.filter !== undefined && "--filter",
      args.vitestArgs.length > 0 && "'--' (vitest arguments)",
    ].filter(Boolean);
    if (runOnly.length) throw new OptionsError(`serve runs no tests: drop ${runOnly.join(", ")}.\n${USAGE}`);
  }
  return args;
}

export interface RunPlan {
  suite: Suite;
  setup: string;
  /** LLAMA_STACK_TEST_* to export. */
  env: Record<string, string>;
  command: string;
  args: string[];
  cwd: string;
}

/** turbo run's own limit on tasks running at once. */
const DEFAULT_TURBO_CONCURRENCY = 10;

/** Part of the test task's turbo hash (turbo.json), set per run against a shared stack. */
export const RUN_ID_ENV = "LLAMA_STACK_TEST_RUN_ID";

/** A run's validated options, before any turbo invocation: what `serve` needs too. */
export interface ResolvedRun {
  suite: Suite;
  setup: string;
  target: StackTarget;
  mode: InferenceMode;
  /** LLAMA_STACK_TEST_* to export. */
  env: Record<string, string>;
}

/** Validates every option; explicit flags win over the caller's LLAMA_STACK_TEST_* env. */
export function resolveRun(
  args: CliArgs,
  suites: Record<string, Suite>,
  callerEnv: NodeJS.ProcessEnv = process.env,
  /** The API packages --filter may name. */
  apiNames: readonly string[] = [],
): ResolvedRun {
  const named = getSuite(suites, args.suite ?? "base");
  const unknown = (args.filter ?? []).filter((api) => !apiNames.includes(api));
  if (args.filter && (unknown.length || args.filter.length === 0)) {
    throw new OptionsError(`--filter: ${unknown.length ? `unknown API package ${unknown.join(", ")}` : "no API package named"}. Valid: ${apiNames.join(", ")}`);
  }
  // The filtered packages run whole: the suite's file filter belongs to its own packages.
  const suite: Suite = args.filter ? { name: named.name, description: named.description, defaultSetup: named.defaultSetup, packages: args.filter } : named;
  const pick = (key: OptionKey) => args.values[key] ?? optionFromEnv(callerEnv, key);

  const stackConfig = pick("stackConfig") || "embedded";
  const target = parseStackConfig(stackConfig, callerEnv);
  // The embedded stack has recordings for the embedded setup; a real stack follows upstream's suite default.
  const setup = pick("setup") || (target.kind === "embedded" ? "embedded" : suite.defaultSetup);
  getSetup(setup);
  const mode = parseInferenceMode(pick("inferenceMode"));
  if (target.kind === "url" && (mode === "record" || mode === "record-if-missing")) {
    // The stack at a URL calls its own providers, past this harness's recorder: the run would write nothing.
    throw new OptionsError(
      `--inference-mode=${mode} needs a stack this harness starts (--stack-config=embedded or server:<config>): ` +
        `the stack at ${target.baseUrl} calls its providers directly, so nothing would be recorded.`,
    );
  }
  const dim = pick("embeddingDimension");
  if (dim) parseEmbeddingDimension(dim);
  const recorder = parseRecorder(pick("recorder"), stackConfig);
  const serverTarget = parseServerTarget(pick("target"));
  const env = parseEnvList([callerEnv[OPTION_ENV.env], ...args.env].filter(Boolean).join("\n"));

  const exported: Record<string, string> = {
    [OPTION_ENV.stackConfig]: stackConfig,
    [OPTION_ENV.setup]: setup,
    [OPTION_ENV.inferenceMode]: mode,
    [OPTION_ENV.recorder]: recorder,
    [OPTION_ENV.target]: serverTarget.id,
  };
  for (const key of ["textModel", "visionModel", "embeddingModel", "rerankModel", "safetyShield", "judgeModel", "embeddingDimension"] as const) {
    const value = pick(key);
    if (value) exported[OPTION_ENV[key]] = value;
  }
  const recordingsDir = pick("recordingsDir");
  if (recordingsDir) exported[OPTION_ENV.recordingsDir] = path.resolve(recordingsDir);
  if (Object.keys(env).length) exported[OPTION_ENV.env] = formatEnvList(env);
  return { suite, setup, target, mode, env: exported };
}

/** Builds the turbo invocation of a resolved run; record/live runs get a fresh run id (their tests are never served from turbo's cache). */
export function planRun(args: CliArgs, suites: Record<string, Suite>, rootDir: string, callerEnv: NodeJS.ProcessEnv = process.env): RunPlan {
  const apiNames = apiPackageDirs(rootDir).map((d) => path.basename(d));
  const { suite, setup, target, mode, env: exported } = resolveRun(args, suites, callerEnv, apiNames);
  // --continue: one failing package must not cancel the others, so the merged report covers the suite.
  const turboArgs = ["run", "test", "--continue", ...suite.packages.map((p) => `--filter=${p}`)];
  if (reachesProvider(mode) || target.kind !== "embedded") {
    // Record and live runs reach providers, and a shared stack's outcome is not a function of the
    // inputs turbo hashes (its server-side record log is only written when the tests really run):
    // a fresh run id misses the test tasks' cache while the builds stay cached (--force would rebuild all).
    exported[RUN_ID_ENV] = randomUUID();
  }
  // One stack for every package: upstream's fixtures empty it (vector_io deletes every file), which
  // would delete the files of packages running beside it, so shared stacks get one package at a time.
  if (target.kind !== "embedded") turboArgs.push("--concurrency=1");
  // Every package at once (turbo's default is 10): the longest ones must not wait for a free slot.
  else if (suite.packages.length > DEFAULT_TURBO_CONCURRENCY) turboArgs.push(`--concurrency=${suite.packages.length}`);
  const vitestArgs = [...(suite.files ?? []), ...args.vitestArgs];
  if (vitestArgs.length) turboArgs.push("--", ...vitestArgs);
  return {
    suite,
    setup,
    env: exported,
    command: path.join(rootDir, "node_modules", ".bin", "turbo"),
    args: turboArgs,
    cwd: rootDir,
  };
}

export function formatList(suites: Record<string, Suite>): string {
  const lines = ["Suites:"];
  for (const s of Object.values(suites)) {
    lines.push(`  ${s.name.padEnd(18)} default setup ${s.defaultSetup}; packages: ${s.packages.join(", ")}${s.files ? `; files: ${s.files.join(", ")}` : ""}`);
  }
  lines.push("Setups:");
  for (const s of Object.values(SETUPS)) lines.push(`  ${s.name.padEnd(18)} ${s.description}`);
  return lines.join("\n");
}
