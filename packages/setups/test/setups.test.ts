import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  SETUPS,
  SETUP_NAMES,
  applySetupEnv,
  findRepoRoot,
  getSetup,
  getSuite,
  loadSuites,
  parseSuites,
  withSetupDefaults,
} from "../src/index.js";

const UPSTREAM_SETUPS = [
  "ollama", "ollama-vision", "ollama-postgres", "vllm", "gpt", "tgi", "together",
  "cerebras", "databricks", "fireworks", "anthropic", "llama-api", "groq",
];

describe("setups", () => {
  it("has every upstream setup plus embedded, keyed by name", () => {
    expect([...SETUP_NAMES].sort()).toEqual([...UPSTREAM_SETUPS, "embedded"].sort());
    for (const [key, setup] of Object.entries(SETUPS)) expect(setup.name).toBe(key);
  });

  it("keeps upstream defaults", () => {
    expect(getSetup("ollama").defaults.text_model).toBe("ollama/llama3.2:3b-instruct-fp16");
    expect(getSetup("ollama").env.OLLAMA_URL).toBe("http://0.0.0.0:11434/v1");
    expect(getSetup("gpt").defaults.embedding_dimension).toBe(1536);
    expect(getSetup("vllm").env.VLLM_URL).toBe("http://localhost:8000/v1");
    expect(getSetup("ollama-postgres").env.POSTGRES_DB).toBe("llamastack");
  });

  it("describes the embedded setup's models and limits its capabilities", () => {
    const e = getSetup("embedded");
    expect(e.defaults).toMatchObject({
      text_model: "llama-cpp/tiny-random-llama",
      embedding_model: "llama-cpp/all-MiniLM-L6-v2",
      embedding_dimension: 384,
      safety_shield: "llama-guard",
      safety_model: "llama-cpp/tiny-random-llama-guard",
    });
    // SAFETY_MODEL: the guard model, which registers the llama-guard shield on a real server.
    expect(e.env).toEqual({ LLAMA_CPP_URL: "http://127.0.0.1:8080/v1", SAFETY_MODEL: "llama-cpp/tiny-random-llama-guard" });
    expect(e.capabilities).toEqual(["structured_output", "embeddings_semantics"]);
  });

  it("grants vision only to ollama-vision and gpt", () => {
    const withVision = SETUP_NAMES.filter((n) => getSetup(n).capabilities.includes("vision"));
    expect(withVision.sort()).toEqual(["gpt", "ollama-vision"]);
  });

  it("rejects an unknown setup listing the valid ones", () => {
    expect(() => getSetup("olama")).toThrow(/Unknown setup 'olama'\. Available: anthropic, cerebras, .*ollama,/);
  });

  it("applies env only where unset", () => {
    const env: NodeJS.ProcessEnv = { OLLAMA_URL: "http://mine:1/v1" };
    const applied = applySetupEnv(getSetup("ollama"), env);
    expect(env.OLLAMA_URL).toBe("http://mine:1/v1");
    expect(env.SAFETY_MODEL).toBe("ollama/llama-guard3:1b");
    expect(applied).toEqual(["SAFETY_MODEL"]);
  });

  it("lets explicit options win over setup defaults", () => {
    const merged = withSetupDefaults(getSetup("ollama"), { text_model: "ollama/other", embedding_model: undefined });
    expect(merged.text_model).toBe("ollama/other");
    expect(merged.embedding_model).toBe("ollama/nomic-embed-text:v1.5");
  });
});

describe("suites", () => {
  const root = findRepoRoot(path.dirname(new URL(import.meta.url).pathname));
  const suites = loadSuites(root);

  it("maps every suite to existing API packages and a known setup", () => {
    expect(Object.keys(suites).sort()).toEqual(["base", "base-vllm-subset", "responses", "vision"]);
    const existing = new Set(fs.readdirSync(path.join(root, "packages/apis")));
    for (const suite of Object.values(suites)) {
      for (const p of suite.packages) expect(existing.has(p), `${suite.name}: ${p}`).toBe(true);
      expect(SETUP_NAMES).toContain(suite.defaultSetup);
    }
  });

  it("base is every API package except responses and post_training", () => {
    const all = fs.readdirSync(path.join(root, "packages/apis")).filter((d) => !["responses", "post_training"].includes(d));
    expect([...getSuite(suites, "base").packages].sort()).toEqual(all.sort());
  });

  it("base covers every upstream tests/integration dir except responses and post_training (when upstream is present)", (ctx) => {
    const upstream = path.join(root, "../shared/llama-stack-upstream/tests/integration");
    if (!fs.existsSync(upstream)) ctx.skip(`upstream reference data absent at ${upstream}`);
    const dirs = fs
      .readdirSync(upstream, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !["common", "test_cases", "recordings", "responses", "post_training"].includes(d.name))
      .map((d) => d.name);
    for (const d of dirs) expect(getSuite(suites, "base").packages).toContain(d);
  });

  it("vision narrows to the vision test file", () => {
    expect(getSuite(suites, "vision")).toMatchObject({ packages: ["inference"], files: ["test_vision_inference"], defaultSetup: "ollama-vision" });
  });

  it("rejects an unknown suite listing the valid ones", () => {
    expect(() => getSuite(suites, "nope")).toThrow("Unknown suite: nope. Available: base, base-vllm-subset, responses, vision");
  });

  it("rejects malformed suites.json content", () => {
    expect(() => parseSuites({})).toThrow(/expected \{"suites"/);
    expect(() => parseSuites({ suites: { x: { packages: "files", defaultSetup: "ollama" } } })).toThrow(/suite "x"\.packages must be a list/);
    expect(() => parseSuites({ suites: { x: { packages: ["files"] } } })).toThrow(/defaultSetup must be a setup name/);
  });

  it("reports a missing suites.json with its path", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "suites-"));
    try {
      expect(() => loadSuites(dir)).toThrow(`Cannot read ${path.join(dir, "suites.json")}`);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});
