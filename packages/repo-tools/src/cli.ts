#!/usr/bin/env node
import { parseArgs } from "node:util";
import { codeownersFiles } from "./codeowners.js";
import { affectedFromGit } from "./affected.js";
import { ciMatrixFiles, readMatrix } from "./ci-matrix.js";
import { RepoToolsError } from "./errors.js";
import { findRepoRoot, staleFiles, writeDerived, type DerivedFile } from "./files.js";

const USAGE = `Usage: repo-tools <codeowners|ci-matrix> [--check]
       repo-tools affected [--base REF]

codeowners  writes .github/CODEOWNERS from each API package's "owner" and the handles in owners.json
ci-matrix   writes the suite x setup blocks of the CI workflow and scripts/fidelity.sh from upstream's
            tests/integration/ci_matrix.json (LLAMA_STACK_UPSTREAM_DIR, else ../shared/llama-stack-upstream)
            and ci-pairs.json, and lists the pairs that do not run here with the reason
--check     writes nothing; exits 1 naming each stale file
affected    prints, one per line, the turbo filters of what changed since REF (default main):
            turbo's own git-range filter plus the API packages whose recordings/<api>/ (common/: all)
            or suites.json entries changed, which turbo --affected does not see`;

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { check: { type: "boolean" }, base: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (command === "affected" && !extra.length && !values.check) {
    for (const filter of affectedFromGit(findRepoRoot(process.cwd()), values.base ?? "main")) console.log(filter);
    return 0;
  }
  if (values.base !== undefined) throw new RepoToolsError("--base is an option of affected only");
  if (extra.length || (command !== "codeowners" && command !== "ci-matrix")) throw new RepoToolsError(`expected one command, codeowners, ci-matrix or affected; got '${positionals.join(" ")}'\n${USAGE}`);
  const rootDir = findRepoRoot(process.cwd());
  let files: DerivedFile[];
  if (command === "codeowners") files = codeownersFiles(rootDir);
  else {
    const read = readMatrix(rootDir);
    if (!read) {
      console.log("ci-matrix: skipped: upstream's ci_matrix.json is absent (set LLAMA_STACK_UPSTREAM_DIR to upstream's reference tree)");
      return 0;
    }
    for (const p of read.matrix.notRun) console.log(`ci-matrix: not run: ${p.suite} / ${p.setup}: ${p.reason}`);
    files = ciMatrixFiles(rootDir, read.matrix, read.pairs);
  }
  if (values.check) {
    const stale = staleFiles(rootDir, files);
    if (stale.length) {
      console.error(`${command}: stale: ${stale.join(", ")}; run pnpm ${command} and commit the result`);
      return 1;
    }
    console.log(`${command}: up to date (${files.map((f) => f.path).join(", ")})`);
    return 0;
  }
  const written = writeDerived(rootDir, files);
  console.log(`${command}: ${written.length ? `wrote ${written.join(", ")}` : "already up to date"}`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`repo-tools: ${(e as Error).message}`);
  process.exitCode = e instanceof RepoToolsError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? 2 : 1;
}
