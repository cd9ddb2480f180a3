import { applyRunEnv, startStack } from "../lifecycle/start.js";
import type { RunningStack } from "../lifecycle/types.js";
import type { RunOptions } from "../options.js";
import { CLIENT_REPORT_NAME, runTsClientTests, type TsClientOutcome } from "./run.js";
import type { TsClientSource } from "./source.js";

/**
 * Runs the client tests after a suite against the same stack: the shared server or URL the suite used,
 * or, where each API package started its own embedded stack, one more under the same options.
 */
export async function runTsClientAfterSuite(
  source: TsClientSource,
  run: { rootDir: string; suite: string; options: RunOptions; env: NodeJS.ProcessEnv; shared?: RunningStack; reportsDir?: string; log?: (line: string) => void },
): Promise<TsClientOutcome> {
  const env = { ...run.env };
  const { rootDir, suite, options, reportsDir, log = console.log } = run;
  try {
    const stack = run.shared ?? (await startStack(options, applyRunEnv(options, env), env, CLIENT_REPORT_NAME));
    try {
      return await runTsClientTests({ source, rootDir, suite, options, baseUrl: stack.baseUrl, reportsDir, log });
    } finally {
      if (!run.shared) await stack.close();
    }
  } catch (e) {
    // The suite's own report and fidelity step still run; the client step fails the run.
    log(`client-typescript: FAILED: ${(e as Error).message}`);
    return { code: 1, reported: false };
  }
}
