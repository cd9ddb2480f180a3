#!/usr/bin/env node
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { baselineOf, checkBaseline, snapshotCounts, type OutcomeBaseline } from "./baseline.js";
import { compareRuns, validateClassifications } from "./compare.js";
import { ParityError } from "./errors.js";
import type { Classifications, RunSnapshot } from "./model.js";
import { buildMatrix, formatMatrixSummary, renderMatrixHtml, renderMatrixMarkdown } from "./matrix.js";
import { formatParitySummary, renderParityMarkdown } from "./render.js";
import { readJson, takeSnapshot, writeJsonAtomic } from "./snapshot.js";

const USAGE = `usage:
  parity snapshot --stack LABEL --stack-config CONFIG --setup SETUP --suite SUITE --apis A,B,... [--wall-seconds N] [--reports-dir DIR]
      saves the per-test outcomes of the run that just wrote DIR/<api>/conformance.json to DIR/parity/<suite>-<setup>-<stack>.json
  parity compare --suite SUITE --setup SETUP --left LABEL --right LABEL [--classifications FILE] [--reports-dir DIR]
      writes DIR/parity-<setup>.json and .md: per test, the outcome on each stack and whether they agree;
      disagreements carry their class from FILE (default parity/<setup>.json at the repo root, when it exists)
  parity baseline --suite SUITE --setup SETUP --stack LABEL (--check FILE | --write FILE) [--reports-dir DIR]
      holds a saved snapshot to an outcome baseline: exit 1 when a test FILE lists as passing did not pass;
      --write saves the snapshot's passing tests as FILE
  parity matrix --suite SUITE --setup SETUP --stacks LABEL,LABEL,... [--snapshots DIR] [--reports-dir DIR]
      writes DIR/version-matrix-<suite>-<setup>.{json,md,html}: per API and test, the outcome on each stack
      (server targets, in the order given), from the snapshots in --snapshots (default DIR/parity)`;

function need(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== "string" || v === "") throw new ParityError(`--${name} is required\n${USAGE}`);
  return v;
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help" || rest.includes("--help") || rest.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      stack: { type: "string" },
      "stack-config": { type: "string" },
      setup: { type: "string" },
      suite: { type: "string" },
      apis: { type: "string" },
      "wall-seconds": { type: "string" },
      left: { type: "string" },
      right: { type: "string" },
      classifications: { type: "string" },
      check: { type: "string" },
      write: { type: "string" },
      "reports-dir": { type: "string" },
      stacks: { type: "string" },
      snapshots: { type: "string" },
    },
  });
  const reportsDir = path.resolve(values["reports-dir"] ?? "reports");
  const snapshotFile = (suite: string, setup: string, label: string) => path.join(reportsDir, "parity", `${suite}-${setup}-${label}.json`);
  const loadSnapshot = (suite: string, setup: string, label: string) =>
    readJson<RunSnapshot>(snapshotFile(suite, setup, label), `snapshot of ${label}:`);
  if (command === "snapshot") {
    const setup = need(values, "setup");
    const stack = need(values, "stack");
    const wall = values["wall-seconds"];
    if (wall !== undefined && !/^\d+(\.\d+)?$/.test(wall)) throw new ParityError(`--wall-seconds '${wall}' is not a number of seconds`);
    const snapshot = takeSnapshot({
      reportsDir,
      apis: need(values, "apis").split(",").filter(Boolean),
      stack,
      stackConfig: need(values, "stack-config"),
      setup,
      suite: need(values, "suite"),
      ...(wall !== undefined ? { wallSeconds: Number(wall) } : {}),
    });
    const file = snapshotFile(snapshot.suite, setup, stack);
    writeJsonAtomic(file, snapshot);
    console.log(`parity: ${Object.keys(snapshot.outcomes).length} outcomes of ${stack} saved to ${file}`);
    return 0;
  }
  if (command === "compare") {
    const setup = need(values, "setup");
    const suite = need(values, "suite");
    const left = loadSnapshot(suite, setup, need(values, "left"));
    const right = loadSnapshot(suite, setup, need(values, "right"));
    const classFile = values.classifications ?? path.join(path.dirname(reportsDir), "parity", `${setup}.json`);
    const classifications: Classifications =
      values.classifications !== undefined || fs.existsSync(classFile) ? validateClassifications(readJson(classFile, "classifications"), classFile) : {};
    const report = compareRuns(left, right, classifications);
    writeJsonAtomic(path.join(reportsDir, `parity-${setup}.json`), report);
    fs.writeFileSync(path.join(reportsDir, `parity-${setup}.md`), renderParityMarkdown(report));
    console.log(`${formatParitySummary(report)}; wrote ${path.join(reportsDir, `parity-${setup}.{json,md}`)}`);
    return 0;
  }
  if (command === "matrix") {
    const suite = need(values, "suite");
    const setup = need(values, "setup");
    const dir = path.resolve(values.snapshots ?? path.join(reportsDir, "parity"));
    const snapshots = need(values, "stacks").split(",").filter(Boolean)
      .map((label) => readJson<RunSnapshot>(path.join(dir, `${suite}-${setup}-${label}.json`), `snapshot of ${label}:`));
    const matrix = buildMatrix(snapshots);
    const base = path.join(reportsDir, `version-matrix-${suite}-${setup}`);
    writeJsonAtomic(`${base}.json`, matrix);
    fs.writeFileSync(`${base}.md`, renderMatrixMarkdown(matrix));
    fs.writeFileSync(`${base}.html`, renderMatrixHtml(matrix));
    console.log(`${formatMatrixSummary(matrix)}; wrote ${base}.{json,md,html}`);
    return 0;
  }
  if (command === "baseline") {
    const snapshot = loadSnapshot(need(values, "suite"), need(values, "setup"), need(values, "stack"));
    if (values.write) {
      writeJsonAtomic(path.resolve(values.write), baselineOf(snapshot));
      console.log(`wrote ${values.write}: ${snapshotCounts(snapshot)}`);
      return 0;
    }
    const file = need(values, "check");
    const { lost, gained } = checkBaseline(snapshot, readJson<OutcomeBaseline>(path.resolve(file), "outcome baseline"), file);
    for (const id of lost) console.log(`  no longer passes: ${id}`);
    if (gained) console.log(`  ${gained} tests pass that ${file} does not list: update it with --write ${file}`);
    console.log(`outcome baseline ${file}: ${lost.length ? `${lost.length} lost passes` : "held"} (${snapshotCounts(snapshot)})`);
    return lost.length ? 1 : 0;
  }
  throw new ParityError(`unknown command '${command ?? ""}'\n${USAGE}`);
}

try {
  process.exit(main(process.argv.slice(2)));
} catch (e) {
  console.error(`parity: ${(e as Error).message}`);
  process.exit(e instanceof ParityError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? 2 : 1);
}
