import path from "node:path";
import { fileURLToPath } from "node:url";
import { findRepoRoot, loadSuites } from "@llama-stack-tests/setups";
import { describe, expect, it } from "vitest";
import { formatList, parseCliArgs, planRun } from "../src/cli-args.js";

const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
const suites = loadSuites(root);
const plan = (argv: string[], env: NodeJS.ProcessEnv = {}) => planRun(parseCliArgs(argv), suites, root, env);

describe("llama-stack-test options", () => {
  it("defaults: base suite, embedded stack and setup, replay, one --filter per package", () => {
    const p = plan([]);
    expect(p.suite.name).toBe("base");
    expect(p.env).toEqual({
      LLAMA_STACK_TEST_STACK_CONFIG: "embedded",
      LLAMA_STACK_TEST_SETUP: "embedded",
      LLAMA_STACK_TEST_INFERENCE_MODE: "replay",
      LLAMA_STACK_TEST_RECORDER: "proxy",
      LLAMA_STACK_TEST_TARGET: "llama-stack@0.4.0",
    });
    expect(p.args).toEqual(["run", "test", "--continue", ...suites.base!.packages.map((x) => `--filter=${x}`), `--concurrency=${suites.base!.packages.length}`]);
    expect(p.command).toBe(path.join(root, "node_modules", ".bin", "turbo"));
    expect(p.cwd).toBe(root);
  });

  it("a real stack takes the suite's default setup, as upstream does", () => {
    expect(plan(["--suite=responses", "--stack-config=server:starter"]).setup).toBe("gpt");
    expect(plan(["--suite", "vision", "--stack-config", "http://localhost:8321"]).setup).toBe("ollama-vision");
  });

  it("exports every option as LLAMA_STACK_TEST_* and passes vitest args through", () => {
    const p = plan([
      "--suite=vision", "--setup=ollama", "--stack-config=server:starter:8400", "--inference-mode=record-if-missing",
      "--text-model=a,b", "--vision-model=v", "--embedding-model=e", "--safety-shield=s", "--judge-model=j",
      "--rerank-model=r", "--embedding-dimension=384", "--recordings-dir=/tmp/rec", "--recorder=proxy",
      "--target=ogx@1.x", "--env", "A=1", "--env=B=2", "--", "-t", "streaming",
    ]);
    const { LLAMA_STACK_TEST_RUN_ID: runId, ...exported } = p.env;
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(exported).toEqual({
      LLAMA_STACK_TEST_STACK_CONFIG: "server:starter:8400",
      LLAMA_STACK_TEST_SETUP: "ollama",
      LLAMA_STACK_TEST_INFERENCE_MODE: "record-if-missing",
      LLAMA_STACK_TEST_RECORDER: "proxy",
      LLAMA_STACK_TEST_TARGET: "ogx@1.5.0",
      LLAMA_STACK_TEST_TEXT_MODEL: "a,b",
      LLAMA_STACK_TEST_VISION_MODEL: "v",
      LLAMA_STACK_TEST_EMBEDDING_MODEL: "e",
      LLAMA_STACK_TEST_RERANK_MODEL: "r",
      LLAMA_STACK_TEST_SAFETY_SHIELD: "s",
      LLAMA_STACK_TEST_JUDGE_MODEL: "j",
      LLAMA_STACK_TEST_EMBEDDING_DIMENSION: "384",
      LLAMA_STACK_TEST_RECORDINGS_DIR: "/tmp/rec",
      LLAMA_STACK_TEST_ENV: "A=1\nB=2",
    });
    expect(p.args).toEqual(["run", "test", "--continue", "--filter=inference", "--concurrency=1", "--", "test_vision_inference", "-t", "streaming"]);
  });

  it("record and live runs are never served from turbo's cache, and rebuild nothing (no --force)", () => {
    for (const mode of ["record", "live", "record-if-missing"]) {
      const p = plan([`--inference-mode=${mode}`]);
      expect(p.args).not.toContain("--force");
      expect(p.env.LLAMA_STACK_TEST_RUN_ID).toMatch(/^[0-9a-f-]{36}$/);
      expect(p.env.LLAMA_STACK_TEST_RUN_ID).not.toBe(plan([`--inference-mode=${mode}`]).env.LLAMA_STACK_TEST_RUN_ID);
    }
    expect(plan(["--inference-mode=replay"]).args).not.toContain("--force");
  });

  it("refuses to record through a stack at a URL, which calls its providers past the recorder", () => {
    for (const mode of ["record", "record-if-missing"]) {
      expect(() => plan([`--inference-mode=${mode}`, "--stack-config=http://127.0.0.1:8321"])).toThrow(
        /--inference-mode=record.* needs a stack this harness starts \(--stack-config=embedded or server:<config>\): the stack at http:\/\/127\.0\.0\.1:8321 calls its providers directly/,
      );
    }
    expect(plan(["--inference-mode=live", "--stack-config=http://127.0.0.1:8321"]).env.LLAMA_STACK_TEST_INFERENCE_MODE).toBe("live");
  });

  it("a shared stack's tests run every time, one package at a time (its fixtures empty the whole stack)", () => {
    for (const config of ["server:stacks/run.yaml:8400", "http://localhost:8321"]) {
      const p = plan(["--inference-mode=replay", `--stack-config=${config}`]);
      expect(p.args).toContain("--concurrency=1");
      // A run id of its own misses turbo's test cache; --force would rebuild every package too.
      expect(p.args).not.toContain("--force");
      expect(p.env.LLAMA_STACK_TEST_RUN_ID).not.toBe(plan(["--inference-mode=replay", `--stack-config=${config}`, "--suite=vision"]).env.LLAMA_STACK_TEST_RUN_ID ?? "");
      expect(p.env.LLAMA_STACK_TEST_RUN_ID).toMatch(/^[0-9a-f-]{36}$/);
    }
    const embedded = plan(["--inference-mode=replay"]);
    expect(embedded.args).not.toContain("--concurrency=1");
    expect(embedded.env.LLAMA_STACK_TEST_RUN_ID).toBeUndefined();
  });

  it("embedded stacks run every package of the suite at once, beyond turbo's default of 10", () => {
    const base = plan(["--suite=base"]);
    expect(base.suite.packages.length).toBeGreaterThan(10);
    expect(base.args).toContain(`--concurrency=${base.suite.packages.length}`);
    expect(plan(["--suite=responses"]).args.filter((a) => a.startsWith("--concurrency"))).toEqual([]);
  });

  it("explicit flags win over the caller's env, which fills the rest", () => {
    const p = plan(["--setup=vllm"], { LLAMA_STACK_TEST_SETUP: "ollama", LLAMA_STACK_TEST_TEXT_MODEL: "x" });
    expect(p.env.LLAMA_STACK_TEST_SETUP).toBe("vllm");
    expect(p.env.LLAMA_STACK_TEST_TEXT_MODEL).toBe("x");
  });

  it("upstream's LLAMA_STACK_CONFIG and LLAMA_STACK_TEST_RECORDING_DIR fill in for ours and are exported under our names", () => {
    const p = plan([], { LLAMA_STACK_CONFIG: "http://localhost:8321", LLAMA_STACK_TEST_RECORDING_DIR: "/up/rec" });
    expect(p.env).toMatchObject({ LLAMA_STACK_TEST_STACK_CONFIG: "http://localhost:8321", LLAMA_STACK_TEST_RECORDINGS_DIR: "/up/rec" });
    expect(plan(["--stack-config=embedded"], { LLAMA_STACK_CONFIG: "http://localhost:8321" }).env.LLAMA_STACK_TEST_STACK_CONFIG).toBe("embedded");
  });

  it("--filter runs the named API packages instead of the suite's, without the suite's file filter", () => {
    const p = plan(["--suite=vision", "--inference-mode=record", "--filter=inference,files", "--filter", "agents"]);
    expect(p.suite.packages).toEqual(["inference", "files", "agents"]);
    expect(p.suite.files).toBeUndefined();
    expect(p.args.filter((a) => a.startsWith("--filter=") || a === "--")).toEqual(["--filter=inference", "--filter=files", "--filter=agents"]);
    expect(() => plan(["--filter=infrence"])).toThrow(/^--filter: unknown API package infrence\. Valid: agents, batches, /);
    expect(() => plan(["--filter=,"])).toThrow(/^--filter: no API package named\. Valid: /);
    expect(() => parseCliArgs(["serve", "--filter=inference"])).toThrow(/serve runs no tests: drop --filter/);
  });

  const bad: [string[], string | RegExp][] = [
    [["--suite=nope"], "Unknown suite: nope. Available: base, base-vllm-subset, responses, vision"],
    [["--setup=nope"], /Unknown setup 'nope'\. Available: anthropic, cerebras, databricks, embedded, /],
    [["--inference-mode=replays"], "Unknown inference mode 'replays'. Valid: replay, record, record-if-missing, live"],
    [["--recorder=vcr"], "Unknown recorder 'vcr'. Valid: proxy, builtin"],
    [["--target=ogx@2.0.0"], /Unknown target 'ogx@2\.0\.0'\. Valid: llama-stack@0\.4\.0, llama-stack@0\.7\.3, ogx@1\.5\.0, llama-stack@0\.4\.x/],
    [["--embedding-dimension=-1"], /Embedding dimension '-1' is not a positive integer/],
    [["--stack-config=starter"], /library client.*Valid forms:/s],
    [["--env", "NOVALUE"], "--env 'NOVALUE' is not KEY=VALUE"],
  ];
  it.each(bad)("rejects %j", (argv, message) => {
    expect(() => plan(argv)).toThrow(message);
  });

  it("rejects unknown flags, stray arguments and missing values", () => {
    expect(() => parseCliArgs(["--text-modle=x"])).toThrow(/Unknown option --text-modle\.\nUsage: llama-stack-test/);
    expect(() => parseCliArgs(["files"])).toThrow(/Unexpected argument 'files'\. Pass vitest arguments after '--'/);
    expect(() => parseCliArgs(["--setup"])).toThrow("--setup needs a value");
    expect(() => parseCliArgs(["--setup", "--list"])).toThrow("--setup needs a value");
  });

  it("takes the fidelity baseline to hold or to write, outside the exported run options", () => {
    const args = parseCliArgs(["--setup=ollama", "--fidelity-baseline", "fidelity/ollama.json", "--write-fidelity-baseline=/tmp/new.json"]);
    expect(args.fidelityBaseline).toBe("fidelity/ollama.json");
    expect(args.writeFidelityBaseline).toBe("/tmp/new.json");
    expect(Object.keys(planRun(args, suites, root, {}).env).filter((k) => k.includes("FIDELITY"))).toEqual([]);
    expect(() => parseCliArgs(["--fidelity-baseline"])).toThrow(/needs a value/);
  });

  it("--list names every suite and setup", () => {
    expect(parseCliArgs(["--list"]).list).toBe(true);
    const text = formatList(suites);
    for (const name of ["base", "base-vllm-subset", "responses", "vision", "ollama", "gpt", "embedded", "llama-api"]) {
      expect(text).toMatch(new RegExp(`^  ${name} `, "m"));
    }
  });

  it("--list-test-ids is a switch that combines with the run options", () => {
    const args = parseCliArgs(["--list-test-ids", "--setup=ollama"]);
    expect(args).toMatchObject({ listTestIds: true, list: false, values: { setup: "ollama" } });
    expect(parseCliArgs([]).listTestIds).toBe(false);
  });
});
