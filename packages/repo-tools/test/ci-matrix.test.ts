import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { replaceBlock } from "../src/blocks.js";
import { CI_PAIRS_FILE, FIDELITY_SCRIPT, WORKFLOW_FILE, buildMatrix, ciMatrixFiles, readMatrix, type CiPairs, type UpstreamMatrix } from "../src/ci-matrix.js";
import { findRepoRoot, readJson, staleFiles } from "../src/files.js";

const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
const SUITES = ["base", "base-vllm-subset", "responses", "vision"];
const UPSTREAM: UpstreamMatrix = {
  default: [
    { suite: "base", setup: "ollama" },
    { suite: "base", setup: "ollama-postgres", allowed_clients: ["server"], stack_config: "server:ci-tests::run-with-postgres-store.yaml" },
    { suite: "vision", setup: "ollama-vision" },
  ],
  schedules: { "1 0 * * 0": [{ suite: "base", setup: "vllm" }] },
};
const PAIRS: CiPairs = {
  notRun: { "base/ollama-postgres": "no PostgreSQL", "vision/embedded": "no vision model" },
  upstreamCommit: "0".repeat(40),
  upstreamRepository: "llamastack/llama-stack",
};

describe("CI matrix from upstream's ci_matrix.json", () => {
  it("crosses upstream's default and scheduled pairs and the own setups with the suites, setting aside what cannot run", () => {
    expect(buildMatrix(UPSTREAM, PAIRS, SUITES)).toEqual({
      upstream: [
        { suite: "base", setup: "ollama" },
        { suite: "vision", setup: "ollama-vision" },
      ],
      scheduled: [{ suite: "base", setup: "vllm", schedule: "1 0 * * 0" }],
      own: [
        { suite: "base", setup: "embedded" },
        { suite: "base-vllm-subset", setup: "embedded" },
        { suite: "responses", setup: "embedded" },
      ],
      notRun: [
        { suite: "base", setup: "ollama-postgres", reason: "no PostgreSQL" },
        { suite: "vision", setup: "embedded", reason: "no vision model" },
      ],
    });
  });

  it("refuses a not-run entry no pair has, and an upstream suite the project lacks", () => {
    expect(() => buildMatrix(UPSTREAM, { ...PAIRS, notRun: { ...PAIRS.notRun, "base/tgi": "x" } }, SUITES)).toThrow(
      `ci-pairs.json "notRun" lists base/tgi, which neither upstream's matrix nor the own setups have: remove them`,
    );
    expect(() => buildMatrix({ default: [{ suite: "agents", setup: "gpt" }] }, PAIRS, SUITES)).toThrow(/names suites agents that suites\.json lacks/);
  });

  it("replaces only the marked block, at the marker's indent, and names a file whose markers are gone", () => {
    const text = "a\n  # BEGIN GENERATED x (note)\n  old\n  # END GENERATED x\nb\n";
    expect(replaceBlock(text, "x", ["one:", "  two"], "f")).toBe("a\n  # BEGIN GENERATED x (note)\n  one:\n    two\n  # END GENERATED x\nb\n");
    expect(replaceBlock(text, "x", [], "f")).toBe("a\n  # BEGIN GENERATED x (note)\n  # END GENERATED x\nb\n");
    expect(() => replaceBlock("a\n", "x", [], "f.yml")).toThrow("f.yml has no '# BEGIN GENERATED x' ... '# END GENERATED x' block: restore the markers from git");
  });

  it("the committed workflow and fidelity.sh are current, valid, and run exactly the matrix's pairs", (ctx) => {
    const read = readMatrix(root);
    if (!read) return ctx.skip("upstream's ci_matrix.json is absent (no ../shared/llama-stack-upstream and no LLAMA_STACK_UPSTREAM_DIR)");
    expect(staleFiles(root, ciMatrixFiles(root, read.matrix, read.pairs)), "run pnpm ci-matrix and commit the result").toEqual([]);
    expect(readJson<CiPairs>(path.join(root, CI_PAIRS_FILE)).upstreamCommit).toMatch(/^[0-9a-f]{40}$/);

    const workflow = parse(fs.readFileSync(path.join(root, WORKFLOW_FILE), "utf8")) as { jobs: Record<string, { strategy?: { matrix: { include: object[] } } }> };
    expect(workflow.jobs.suite!.strategy!.matrix.include).toEqual(read.matrix.own);
    expect(workflow.jobs.fidelity!.strategy!.matrix.include).toEqual(read.matrix.upstream);
    expect(workflow.jobs["fidelity-scheduled"]?.strategy?.matrix.include ?? []).toEqual(read.matrix.scheduled.map(({ suite, setup }) => ({ suite, setup })));

    const script = path.join(root, FIDELITY_SCRIPT);
    expect(spawnSync("bash", ["-n", script]).status, "fidelity.sh parses").toBe(0);
    const pairs = /^PAIRS="([^"]*)"$/m.exec(fs.readFileSync(script, "utf8"))?.[1];
    expect(pairs?.split(" ")).toEqual(read.matrix.upstream.map((p) => `${p.suite}:${p.setup}`));
    // Every pair fidelity.sh runs holds a committed baseline.
    for (const p of read.matrix.upstream) expect(fs.existsSync(path.join(root, "fidelity", `${p.setup}.json`)), `fidelity/${p.setup}.json`).toBe(true);
  });
});
