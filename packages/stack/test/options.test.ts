import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyRunEnv } from "../src/lifecycle/start.js";
import { formatEnvList, parseEnvList, readOptions } from "../src/options.js";

const root = "/repo";

describe("readOptions", () => {
  it("defaults: embedded setup and stack, replay, <root>/recordings", () => {
    const o = readOptions({}, root);
    expect(o).toMatchObject({
      setupName: "embedded",
      stackConfig: "embedded",
      inferenceMode: "replay",
      recorder: "proxy",
      recordingsDir: path.join(root, "recordings"),
      capabilities: ["structured_output", "embeddings_semantics"],
      env: {},
    });
    expect(o.models).toEqual({
      text: ["llama-cpp/tiny-random-llama"],
      vision: [],
      embedding: ["llama-cpp/all-MiniLM-L6-v2"],
      shield: ["llama-guard"],
      judge: [],
      rerank: [],
      embeddingDimension: 384,
    });
  });

  it("explicit values win over the setup's defaults; model options are comma lists", () => {
    const o = readOptions(
      {
        LLAMA_STACK_TEST_SETUP: "ollama",
        LLAMA_STACK_TEST_TEXT_MODEL: "ollama/a, ollama/b",
        LLAMA_STACK_TEST_EMBEDDING_DIMENSION: "384",
        LLAMA_STACK_TEST_RECORDINGS_DIR: "rec",
        LLAMA_STACK_TEST_ENV: "A=1\nB=x=y",
      },
      root,
    );
    expect(o.models.text).toEqual(["ollama/a", "ollama/b"]);
    expect(o.models.embedding).toEqual(["ollama/nomic-embed-text:v1.5"]);
    expect(o.models.embeddingDimension).toBe(384);
    expect(o.recordingsDir).toBe(path.join(root, "rec"));
    expect(o.env).toEqual({ A: "1", B: "x=y" });
  });

  it("uses upstream's 768 when neither option nor setup sets a dimension, and the setup's when it does", () => {
    expect(readOptions({ LLAMA_STACK_TEST_SETUP: "ollama" }, root).models.embeddingDimension).toBe(768);
    expect(readOptions({ LLAMA_STACK_TEST_SETUP: "gpt" }, root).models.embeddingDimension).toBe(1536);
    expect(readOptions({ LLAMA_STACK_TEST_SETUP: "embedded" }, root).models.embeddingDimension).toBe(384);
    expect(readOptions({ LLAMA_STACK_TEST_SETUP: "gpt", LLAMA_STACK_TEST_EMBEDDING_DIMENSION: "1536" }, root).models.embeddingDimension).toBe(1536);
  });

  it("accepts upstream's variable names where ours are unset: LLAMA_STACK_CONFIG, LLAMA_STACK_TEST_RECORDING_DIR, LLAMA_STACK_CLIENT_TIMEOUT", () => {
    const o = readOptions({ LLAMA_STACK_CONFIG: "http://localhost:8321", LLAMA_STACK_TEST_RECORDING_DIR: "up/rec", LLAMA_STACK_CLIENT_TIMEOUT: "300" }, root);
    expect(o).toMatchObject({ stackConfig: "http://localhost:8321", recordingsDir: path.join(root, "up/rec"), clientTimeoutMs: 300_000 });
    const ours = readOptions({ LLAMA_STACK_CONFIG: "http://a:1", LLAMA_STACK_TEST_STACK_CONFIG: "embedded", LLAMA_STACK_TEST_RECORDING_DIR: "x", LLAMA_STACK_TEST_RECORDINGS_DIR: "y" }, root);
    expect(ours).toMatchObject({ stackConfig: "embedded", recordingsDir: path.join(root, "y") });
    expect(ours.clientTimeoutMs).toBeUndefined();
    expect(() => readOptions({ LLAMA_STACK_CLIENT_TIMEOUT: "5m" }, root)).toThrow("LLAMA_STACK_CLIENT_TIMEOUT='5m' is not a positive number of seconds (e.g. LLAMA_STACK_CLIENT_TIMEOUT=300)");
  });

  it("a server stack config defaults to Llama Stack's builtin recorder", () => {
    expect(readOptions({ LLAMA_STACK_TEST_STACK_CONFIG: "server:starter" }, root).recorder).toBe("builtin");
    expect(readOptions({ LLAMA_STACK_TEST_STACK_CONFIG: "server:starter", LLAMA_STACK_TEST_RECORDER: "proxy" }, root).recorder).toBe("proxy");
  });

  it("rejects bad values with the valid ones", () => {
    expect(() => readOptions({ LLAMA_STACK_TEST_SETUP: "nope" }, root)).toThrow(/Unknown setup 'nope'\. Available: /);
    expect(() => readOptions({ LLAMA_STACK_TEST_INFERENCE_MODE: "replays" }, root)).toThrow(
      "Unknown inference mode 'replays'. Valid: replay, record, record-if-missing, live",
    );
    expect(() => readOptions({ LLAMA_STACK_TEST_RECORDER: "vcr" }, root)).toThrow("Unknown recorder 'vcr'. Valid: proxy, builtin");
    expect(() => readOptions({ LLAMA_STACK_TEST_EMBEDDING_DIMENSION: "0" }, root)).toThrow(/not a positive integer/);
    expect(() => readOptions({ LLAMA_STACK_TEST_STACK_CONFIG: "starter" }, root)).toThrow(/library client/);
    expect(() => readOptions({ LLAMA_STACK_TEST_ENV: "NOEQUALS" }, root)).toThrow("--env 'NOEQUALS' is not KEY=VALUE");
  });

  it("env lists round-trip", () => {
    const env = { A: "1", B: "with spaces, and = signs" };
    expect(parseEnvList(formatEnvList(env))).toEqual(env);
  });
});

describe("applyRunEnv", () => {
  it("sets --env entries always, then the setup env only where unset", () => {
    const env: NodeJS.ProcessEnv = { OLLAMA_URL: "http://mine:1/v1", SAFETY_MODEL: "old" };
    const options = readOptions({ LLAMA_STACK_TEST_SETUP: "ollama", LLAMA_STACK_TEST_ENV: "SAFETY_MODEL=forced" }, root);
    const supplied = applyRunEnv(options, env);
    expect(env.OLLAMA_URL).toBe("http://mine:1/v1");
    expect(env.SAFETY_MODEL).toBe("forced");
    expect(supplied).toEqual([]);
    const fresh: NodeJS.ProcessEnv = {};
    expect(applyRunEnv(readOptions({}, root), fresh)).toEqual(["LLAMA_CPP_URL", "SAFETY_MODEL"]);
  });
});
