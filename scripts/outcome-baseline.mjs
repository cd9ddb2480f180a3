#!/usr/bin/env node
// Baseline of test outcomes for a run whose fidelity report cannot say what hit (a server with
// Llama Stack's builtin recorder writes no provider traffic log): the tests that passed, read from
// the suite's reports/<api>/conformance.json after the run.
//
//   node scripts/outcome-baseline.mjs --suite=base --write=fidelity/real-server/embedded-base.json
//   node scripts/outcome-baseline.mjs --suite=base --check=fidelity/real-server/embedded-base.json
//
// --check exits 1 when a test the baseline lists as passing did not pass in this run.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

let args;
try {
  args = parseArgs({ options: { suite: { type: "string" }, write: { type: "string" }, check: { type: "string" } } }).values;
} catch (e) {
  console.error(`outcome-baseline: ${e.message}`);
  process.exit(2);
}
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const suites = JSON.parse(fs.readFileSync(path.join(root, "suites.json"), "utf8")).suites;
const suite = suites[args.suite ?? "base"];
if (!suite || (!args.write && !args.check)) {
  console.error(`usage: outcome-baseline.mjs --suite=<${Object.keys(suites).join("|")}> (--write=FILE | --check=FILE)`);
  process.exit(2);
}

const passed = [];
const counts = { passed: 0, failed: 0, skipped: 0 };
let environment;
for (const api of suite.packages) {
  const file = path.join(root, "reports", api, "conformance.json");
  if (!fs.existsSync(file)) {
    console.error(`no ${path.relative(root, file)}: run the suite first (pnpm suite --suite=${args.suite ?? "base"} ...)`);
    process.exit(2);
  }
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  environment ??= report.environment;
  for (const t of report.tests) {
    counts[t.status] = (counts[t.status] ?? 0) + 1;
    if (t.status === "passed") passed.push(t.id);
  }
}
passed.sort();

if (args.write) {
  const baseline = { suite: args.suite ?? "base", environment, counts, passed };
  fs.mkdirSync(path.dirname(path.resolve(args.write)), { recursive: true });
  fs.writeFileSync(path.resolve(args.write), `${JSON.stringify(baseline, null, 2)}\n`);
  console.log(`wrote ${args.write}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
} else {
  const baseline = JSON.parse(fs.readFileSync(path.resolve(args.check), "utf8"));
  const now = new Set(passed);
  const lost = baseline.passed.filter((id) => !now.has(id));
  for (const id of lost) console.log(`  no longer passes: ${id}`);
  const gained = passed.length - (baseline.passed.length - lost.length);
  if (gained) console.log(`  ${gained} tests pass that ${args.check} does not list: update it with --write=${args.check}`);
  console.log(`outcome baseline ${args.check}: ${lost.length ? `${lost.length} lost passes` : "held"} (${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped)`);
  process.exit(lost.length ? 1 : 0);
}
