#!/usr/bin/env node
import { spawn } from "node:child_process";
import { findRepoRoot, loadSuites } from "@llama-stack-tests/setups";
import { USAGE, formatList, parseCliArgs, planRun } from "./cli-args.js";

function main(): void {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const rootDir = findRepoRoot();
  const suites = loadSuites(rootDir);
  if (args.list) {
    console.log(formatList(suites));
    return;
  }
  const plan = planRun(args, suites, rootDir);
  console.log(`llama-stack-test: suite ${plan.suite.name}, ${Object.entries(plan.env).map(([k, v]) => `${k}=${k.endsWith("_ENV") ? "<set>" : v}`).join(" ")}`);
  console.log(`llama-stack-test: turbo ${plan.args.join(" ")}`);
  const child = spawn(plan.command, plan.args, { cwd: plan.cwd, env: { ...process.env, ...plan.env }, stdio: "inherit" });
  child.on("error", (e) => {
    console.error(`llama-stack-test: cannot run turbo (${e.message}): run pnpm install at the repository root`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

try {
  main();
} catch (e) {
  console.error(`llama-stack-test: ${(e as Error).message}`);
  process.exit(2);
}
