import path from "node:path";
import type { Suite } from "@llama-stack-tests/setups";
import { resolveRun, type CliArgs } from "./cli-args.js";
import { applyRunEnv, startStack, trafficLogPath } from "./lifecycle/start.js";
import { readOptions } from "./options.js";
import { formatExports, outsideRunnerEnv, providerDataHeaderExample } from "./outside-env.js";

/** Names serve's embedded-stack log and its traffic log (reports/serve/provider-traffic.ndjson). */
export const SERVE_LOG_NAME = "serve";
/** The line after which the stack takes requests; tests and scripts wait for it. */
export const SERVE_READY_LINE = "llama-stack-test serve: ready; Ctrl-C or SIGTERM stops everything";

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * `llama-stack-test serve`: starts the stack the options name, exactly as a suite run would, prints
 * what an outside runner needs, and stops it all on the first stop signal. Resolves to the exit code.
 */
export async function serve(args: CliArgs, suites: Record<string, Suite>, rootDir: string): Promise<number> {
  const run = resolveRun(args, suites);
  const env: NodeJS.ProcessEnv = { ...process.env, ...run.env };
  const options = readOptions(env, rootDir);
  // Registered before anything starts, so a signal during start-up still ends in an orderly stop.
  let signalled: NodeJS.Signals | undefined;
  let wake = () => {};
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    signalled ??= signal;
    wake();
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  try {
    const stack = await startStack(options, applyRunEnv(options, env), env, SERVE_LOG_NAME);
    try {
      const outside = outsideRunnerEnv(stack.baseUrl, run.suite.name, options);
      const traffic = options.recorder === "proxy" ? path.relative(rootDir, trafficLogPath(rootDir, SERVE_LOG_NAME)) : "the server's record log";
      console.log(
        [
          `llama-stack-test serve: ${stack.description}`,
          `Base URL: ${stack.baseUrl}   (OpenAI-compatible: ${stack.baseUrl}/v1)`,
          `Provider traffic (hits and misses): ${traffic}`,
          "",
          "Environment for an outside test runner (upstream's names; eval these lines or copy them):",
          formatExports(outside),
          "",
          "Every request of a test names it in the provider-data header; replay looks its recordings up by that id:",
          `  ${providerDataHeaderExample(options)}`,
          "",
          SERVE_READY_LINE,
        ].join("\n"),
      );
      if (!signalled) await stopped;
      console.log(`llama-stack-test serve: ${signalled}, stopping`);
    } finally {
      await stack.close();
    }
    console.log("llama-stack-test serve: stopped");
    return 0;
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  }
}
