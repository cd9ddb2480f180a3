import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { ConformanceReporter } from "@llama-stack-tests/report";
import { defineConfig, type ViteUserConfig } from "vitest/config";
import { OPTION_ENV } from "./env-names.js";
import { parseInferenceMode, reachesProvider } from "./inference-mode.js";
import { parseStackConfig } from "./stack-config.js";

type TestConfig = NonNullable<ViteUserConfig["test"]>;

/** vitest `test` options (overriding the defaults) plus the API name; vitest's own `api` server option is not offered. */
export type ApiConfigOptions = Omit<TestConfig, "api"> & {
  /** The API this package tests: reports/<api>/ and the upstream dir tests/integration/<api>. */
  api: string;
  /** Where the conformance report goes (default <repo root>/reports). */
  reportsDir?: string;
};

/** A module next to this one (dist/*.js when built, src/*.ts under the package's own tests). */
function siblingPath(name: string): string {
  const js = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  return fs.existsSync(js) ? js : fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
}

/**
 * The vitest config of an API package: starts the stack once per run (globalSetup), writes the
 * conformance report, and runs files in a few forks against the shared stack.
 */
export function defineApiConfig({ api, reportsDir, ...overrides }: ApiConfigOptions): ViteUserConfig {
  const mode = parseInferenceMode(process.env[OPTION_ENV.inferenceMode]);
  // The timeout catches hangs, not slowness: only replay on the embedded stack is quick on any machine;
  // real providers (record/live) and a real server (Python, on shared cores) answer at their own pace.
  const embeddedReplay = !reachesProvider(mode) && parseStackConfig(process.env[OPTION_ENV.stackConfig]).kind === "embedded";
  const timeout = embeddedReplay ? 30_000 : 300_000;
  const forks = Math.max(1, Math.min(4, os.availableParallelism() - 1));
  return defineConfig({
    test: {
      // The project name labels output in turbo's interleaved logs and names the stack's log file.
      name: api,
      include: ["test/**/*.test.ts"],
      globalSetup: [siblingPath("global-setup")],
      setupFiles: [siblingPath("worker-orphan-guard")],
      reporters: ["default", new ConformanceReporter(reportsDir ? { api, reportsDir } : { api })],
      testTimeout: timeout,
      hookTimeout: timeout,
      pool: "forks",
      isolate: false,
      // One fork (2 cores): minForks 0, since with isolate off vitest recycles the pool's workers before the
      // run, so a pre-started fork was only ever terminated unused (0.6 s of CPU per package). Several forks:
      // as many kept as allowed, since below that tinypool ends idle forks vitest still dispatches files to
      // ("Terminating worker thread" failed every multi-file package's run with 3 forks).
      poolOptions: { forks: { maxForks: forks, minForks: forks === 1 ? 0 : forks } },
      // The workspace's built packages load as plain Node modules, as node_modules do: vite would
      // otherwise transform (and source-map) the harness's dist in every package's run.
      server: { deps: { external: [/\/packages\/[^/]+\/dist\//] } },
      ...overrides,
    },
  });
}
