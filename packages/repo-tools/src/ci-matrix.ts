import fs from "node:fs";
import path from "node:path";
import { PROJECT_SETUPS, upstreamDir } from "@llama-stack-tests/setups";
import { replaceBlock } from "./blocks.js";
import { RepoToolsError } from "./errors.js";
import { readJson, type DerivedFile } from "./files.js";

/** The project's side of the CI matrix: the pairs it cannot run and why, upstream's commit. */
export const CI_PAIRS_FILE = "ci-pairs.json";
export const WORKFLOW_FILE = ".github/workflows/integration-tests.yml";
export const FIDELITY_SCRIPT = "scripts/fidelity.sh";
export const SUITES_FILE = "suites.json";
/** Upstream's CI matrix, in its reference tree (LLAMA_STACK_UPSTREAM_DIR, else ../shared/llama-stack-upstream). */
export const UPSTREAM_MATRIX = path.join("tests", "integration", "ci_matrix.json");

interface UpstreamEntry {
  suite: string;
  setup: string;
  allowed_clients?: string[];
  stack_config?: string;
}

export interface UpstreamMatrix {
  default: UpstreamEntry[];
  schedules?: Record<string, UpstreamEntry[]>;
}

export interface CiPairs {
  /** "suite/setup" -> why the pair does not run here. */
  notRun: Record<string, string>;
  /** Upstream's commit whose recordings the fidelity jobs replay (the workflow checks it out). */
  upstreamCommit: string;
  upstreamRepository: string;
}

export interface Pair {
  suite: string;
  setup: string;
  /** Upstream's cron when the pair is one of its scheduled runs. */
  schedule?: string;
}

export interface Matrix {
  own: Pair[];
  upstream: Pair[];
  scheduled: Pair[];
  notRun: (Pair & { reason: string })[];
}

const key = (p: Pair) => `${p.suite}/${p.setup}`;

/** Crosses upstream's matrix and the project's own setups with the suites, setting aside what cannot run. */
export function buildMatrix(upstream: UpstreamMatrix, pairs: CiPairs, suites: readonly string[], ownSetups: readonly string[] = PROJECT_SETUPS): Matrix {
  const unknownSuites = [...upstream.default, ...Object.values(upstream.schedules ?? {}).flat()].filter((e) => !suites.includes(e.suite));
  if (unknownSuites.length) {
    throw new RepoToolsError(`upstream's ci_matrix.json names suites ${unknownSuites.map((e) => e.suite).join(", ")} that ${SUITES_FILE} lacks: add them (or list the pairs in ${CI_PAIRS_FILE} "notRun")`);
  }
  const notRun: Matrix["notRun"] = [];
  const seen = new Set<string>();
  const keep = (p: Pair): boolean => {
    seen.add(key(p));
    const reason = pairs.notRun[key(p)];
    if (reason) notRun.push({ ...p, reason });
    return !reason;
  };
  const upstreamPairs = upstream.default.map((e) => ({ suite: e.suite, setup: e.setup })).filter(keep);
  const scheduled = Object.entries(upstream.schedules ?? {})
    .flatMap(([cron, entries]) => entries.map((e) => ({ suite: e.suite, setup: e.setup, schedule: cron })))
    .filter(keep);
  const own = ownSetups.flatMap((setup) => suites.map((suite) => ({ suite, setup }))).filter(keep);
  const stale = Object.keys(pairs.notRun).filter((k) => !seen.has(k));
  if (stale.length) throw new RepoToolsError(`${CI_PAIRS_FILE} "notRun" lists ${stale.join(", ")}, which neither upstream's matrix nor the own setups have: remove them`);
  return { own, upstream: upstreamPairs, scheduled, notRun };
}

const flow = (p: Pair) => `- { suite: ${p.suite}, setup: ${p.setup} }`;

function notRunComments(m: Matrix): string[] {
  return m.notRun.map((p) => `# not run: ${p.suite} / ${p.setup}${p.schedule ? ` (upstream's schedule ${p.schedule})` : ""}: ${p.reason}`);
}

/** A workflow job replaying upstream's recordings for `pairs`, each held to its fidelity baseline. */
function upstreamJob(id: string, condition: string, pairs: readonly Pair[], c: CiPairs): string[] {
  return [
    `${id}:`,
    "  name: ${{ matrix.suite }} / ${{ matrix.setup }} (upstream's recordings)",
    `  if: ${condition}`,
    "  runs-on: ubuntu-latest",
    "  strategy:",
    "    fail-fast: false",
    "    matrix:",
    "      include:",
    ...pairs.map((p) => `        ${flow(p)}`),
    "  steps:",
    "    - uses: actions/checkout@v4",
    "    - name: upstream's recordings, at the commit the ports follow",
    "      uses: actions/checkout@v4",
    "      with:",
    `        repository: ${c.upstreamRepository}`,
    `        ref: ${c.upstreamCommit}`,
    "        path: .upstream",
    "        sparse-checkout: tests/integration",
    "    - uses: actions/setup-node@v4",
    "      with:",
    "        node-version: 20",
    "    - name: pnpm (the version pinned in package.json)",
    `      run: corepack enable && pnpm --version || npm install --global "pnpm@$(node -p 'require("./package.json").packageManager.split("@")[1]')"`,
    "    - run: pnpm install --frozen-lockfile",
    "    - name: build the CLI and its dependencies",
    "      run: pnpm turbo run build --filter=@llama-stack-tests/stack...",
    "    - name: the CI matrix is current with upstream's ci_matrix.json",
    "      env:",
    "        LLAMA_STACK_UPSTREAM_DIR: .upstream",
    "      run: pnpm turbo run build --filter=@llama-stack-tests/repo-tools && pnpm ci-matrix --check",
    "    - name: replay upstream's recordings, held to the fidelity baseline",
    "      env:",
    "        LLAMA_STACK_UPSTREAM_DIR: .upstream",
    "      run: >-",
    "        pnpm suite --suite=${{ matrix.suite }} --setup=${{ matrix.setup }} --inference-mode=replay",
    "        --recordings-dir=.upstream/tests/integration --fidelity-baseline=fidelity/${{ matrix.setup }}.json",
    "    - uses: actions/upload-artifact@v4",
    "      if: always()",
    "      with:",
    "        name: reports-fidelity-${{ matrix.suite }}-${{ matrix.setup }}",
    "        path: reports/",
    "        if-no-files-found: ignore",
  ];
}

/** The blocks of the workflow and fidelity.sh that the matrix determines. */
export function renderBlocks(m: Matrix, c: CiPairs): { workflow: Record<string, string[]>; fidelity: Record<string, string[]> } {
  const header = "# from upstream's ci_matrix.json and ci-pairs.json by `pnpm ci-matrix`; do not edit";
  const schedules = [...new Set(m.scheduled.map((p) => p.schedule!))];
  const jobs = upstreamJob("fidelity", "github.event_name != 'schedule'", m.upstream, c);
  // GitHub refuses an empty matrix: the scheduled job exists only when a scheduled pair runs here.
  if (m.scheduled.length) jobs.push("", ...upstreamJob("fidelity-scheduled", "github.event_name == 'schedule'", m.scheduled, c));
  return {
    workflow: {
      "not-run": [header, ...notRunComments(m)],
      schedule: schedules.length ? ["schedule:", ...schedules.map((cron) => `  - cron: "${cron}"`)] : [],
      "own-pairs": m.own.map(flow),
      "upstream-jobs": [header, ...jobs],
    },
    fidelity: {
      "upstream-pairs": [
        header,
        ...notRunComments(m),
        `PAIRS="${m.upstream.map((p) => `${p.suite}:${p.setup}`).join(" ")}"`,
        `SCHEDULED_PAIRS="${m.scheduled.map((p) => `${p.suite}:${p.setup}`).join(" ")}"`,
      ],
    },
  };
}

/** Reads the inputs; undefined when upstream's matrix is absent (a user's clone has no reference tree). */
export function readMatrix(rootDir: string, env: NodeJS.ProcessEnv = process.env): { matrix: Matrix; pairs: CiPairs } | undefined {
  const upstreamFile = path.join(upstreamDir(rootDir, env), UPSTREAM_MATRIX);
  if (!fs.existsSync(upstreamFile)) return undefined;
  const pairs = readJson<CiPairs>(path.join(rootDir, CI_PAIRS_FILE));
  const suites = Object.keys(readJson<{ suites: Record<string, unknown> }>(path.join(rootDir, SUITES_FILE)).suites);
  return { matrix: buildMatrix(readJson<UpstreamMatrix>(upstreamFile), pairs, suites), pairs };
}

export function ciMatrixFiles(rootDir: string, matrix: Matrix, pairs: CiPairs): DerivedFile[] {
  const blocks = renderBlocks(matrix, pairs);
  const apply = (file: string, named: Record<string, string[]>): DerivedFile => {
    let text = fs.readFileSync(path.join(rootDir, file), "utf8");
    for (const [name, lines] of Object.entries(named)) text = replaceBlock(text, name, lines, file);
    return { path: file, expected: text };
  };
  return [apply(WORKFLOW_FILE, blocks.workflow), apply(FIDELITY_SCRIPT, blocks.fidelity)];
}
