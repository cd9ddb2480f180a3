/** The fidelity step of a replay run: how many of the recordings' requests the stack reproduced. */
import path from "node:path";
import {
  BaselineError,
  buildFidelityReport,
  compareWithBaseline,
  formatFidelitySummary,
  gapsVerdict,
  knownGapsPath,
  readBaseline,
  readKnownGaps,
  writeBaseline,
  writeKnownGaps,
  writeFidelityReport,
  type RunScope,
} from "@llama-stack-tests/fidelity";
import { getSetup, type Suite } from "@llama-stack-tests/setups";
import { applyRunEnv } from "./lifecycle/start.js";
import { loadRecording } from "./lifecycle/modules.js";
import { modelProviders, planProxy } from "./lifecycle/provider-routes.js";
import { readOptions, type RunOptions } from "./options.js";

export interface FidelityFlags {
  /**
   * Compare with this baseline and its known gaps (<baseline>.known-gaps.json); the exit code then says
   * whether a test stopped hitting or passing, failed without being a known gap, or a known gap stopped failing.
   */
  baseline?: string;
  /** Write the run's hitting and passing tests to this baseline file, and its failures to the known gaps. */
  writeBaseline?: string;
}

/** Provider model id of `provider/model` (the part a provider request names). */
function providerModelId(id: string): string {
  return id.includes("/") ? id.slice(id.indexOf("/") + 1) : id;
}

/**
 * What the run could reproduce: the providers the setup routes through the proxy (recorded base URLs;
 * ollama brings its native API too), the models it uses (the guard model: SAFETY_MODEL, else the setup's safety_model), the suite's files.
 */
async function runScope(suite: Suite, options: RunOptions, env: NodeJS.ProcessEnv): Promise<RunScope> {
  const runEnv = { ...env };
  applyRunEnv(options, runEnv);
  const { DEFAULT_PROVIDER_ROUTES } = await loadRecording();
  const names = planProxy(DEFAULT_PROVIDER_ROUTES, runEnv, false, {}, modelProviders(options.models)).routes.map((r) => r.name);
  if (names.includes("ollama")) names.push("ollama-native");
  const m = options.models;
  const guard = runEnv.SAFETY_MODEL || getSetup(options.setupName).defaults.safety_model;
  const models = [...m.text, ...m.vision, ...m.embedding, ...m.judge, ...m.rerank, ...(guard ? [guard] : [])];
  return {
    providerBases: names.flatMap((n) => (DEFAULT_PROVIDER_ROUTES[n] ? [DEFAULT_PROVIDER_ROUTES[n]!.recordedBase] : [])),
    modelIds: [...new Set(models.map(providerModelId))],
    testFiles: suite.files ?? [],
  };
}

/** Writes reports/fidelity-<setup>.{json,md}; returns the exit code a baseline comparison asks for (0 without one). */
export async function runFidelityStep(suite: Suite, setup: string, stack: string, env: NodeJS.ProcessEnv, rootDir: string, flags: FidelityFlags): Promise<number> {
  const options = readOptions(env, rootDir);
  const { recordingsDir } = options;
  const reportsDir = path.join(rootDir, "reports");
  let knownGaps;
  try {
    knownGaps = flags.baseline ? readKnownGaps(knownGapsPath(path.resolve(flags.baseline)))?.gaps : undefined;
  } catch (e) {
    if (!(e instanceof BaselineError)) throw e;
    console.error(`llama-stack-test: ${e.message}`);
    return 2;
  }
  const report = buildFidelityReport({
    setup,
    suite: suite.name,
    stack,
    apis: suite.packages,
    recordingsDir,
    reportsDir,
    scope: await runScope(suite, options, env),
    ...(knownGaps ? { knownGaps } : {}),
  });
  // Paths in the report are relative to the repository, so it reads the same on every machine.
  report.recordingsDir = path.relative(rootDir, recordingsDir) || ".";
  const files = writeFidelityReport(reportsDir, report);
  console.log(formatFidelitySummary(report));
  console.log(`wrote ${path.relative(rootDir, files.json)}, ${path.relative(rootDir, files.markdown)}`);
  if (flags.writeBaseline) {
    writeBaseline(path.resolve(flags.writeBaseline), report);
    writeKnownGaps(knownGapsPath(path.resolve(flags.writeBaseline)), report);
    console.log(`wrote fidelity baseline ${flags.writeBaseline}: ${report.hittingTests.length} hitting, ${report.passingTests.length} passing; ${knownGapsPath(flags.writeBaseline)}: ${report.failures.length} known gaps`);
  }
  if (!flags.baseline) return 0;
  try {
    const verdict = compareWithBaseline(report, readBaseline(path.resolve(flags.baseline)));
    for (const t of verdict.lostHits) console.log(`  no longer hits: ${t}`);
    for (const t of verdict.lostPasses) console.log(`  no longer passes on real output: ${t}`);
    if (verdict.newHits.length) console.log(`  ${verdict.newHits.length} tests hit that ${flags.baseline} does not list: update it with --write-fidelity-baseline=${flags.baseline}`);
    const gapsFile = knownGapsPath(flags.baseline);
    // A pair without its known-gaps file yet has its failures reported, not held; the run says so.
    const gaps = knownGaps ? gapsVerdict(report) : { unexplained: [], stale: [], ok: true };
    if (!knownGaps) console.log(`  ${gapsFile} does not exist: ${report.failures.length} failures reported, not held (write it with --write-fidelity-baseline=${flags.baseline})`);
    for (const f of gaps.unexplained) console.log(`  fails, not a known gap (${f.cause}): ${f.test}: ${f.error}`);
    for (const g of gaps.stale) console.log(`  known gap no longer fails as listed (${g.listedCause}, now ${g.now}): ${g.test}`);
    if (!gaps.ok) console.log(`  every failure needs its cause in ${gapsFile}, and every gap listed there must still fail for it: fix the test or stack, or rewrite both files with --write-fidelity-baseline=${flags.baseline}`);
    const ok = verdict.lostHits.length === 0 && verdict.lostPasses.length === 0 && gaps.ok;
    console.log(`fidelity baseline ${flags.baseline}: ${ok ? "held" : `${verdict.lostHits.length} lost hits, ${verdict.lostPasses.length} lost passes, ${gaps.unexplained.length} unexplained failures, ${gaps.stale.length} stale known gaps`}`);
    return ok ? 0 : 1;
  } catch (e) {
    if (e instanceof BaselineError) {
      console.error(`llama-stack-test: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
