import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildFidelityReport, compareWithBaseline, renderFidelityMarkdown, TRAFFIC_LOG_NAME } from "../src/index.js";

const OLLAMA = "http://0.0.0.0:11434/v1";
const OLLAMA_NATIVE = "http://localhost:11434";
const T = (name: string) => `tests/integration/inference/test_x.py::${name}`;

let root: string;
let recordingsDir: string;
let reportsDir: string;

/** Writes an upstream-layout recording: <api>/recordings/<hash>.json. */
function recording(hash: string, testId: string | null, url: string, endpoint: string, body: object = {}, model = "llama3.2:3b-instruct-fp16"): void {
  const dir = join(recordingsDir, "inference", "recordings");
  mkdirSync(dir, { recursive: true });
  const rec = { test_id: testId, request: { method: "POST", url, headers: {}, body, endpoint, model: endpoint === "/api/ps" ? "" : model }, response: { body: {}, is_streaming: false } };
  writeFileSync(join(dir, `${hash}.json`), JSON.stringify(rec));
}

function report(tests: Record<string, "passed" | "failed" | "skipped">, traffic: object[]): void {
  const dir = join(reportsDir, "inference");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, TRAFFIC_LOG_NAME), traffic.map((e) => `${JSON.stringify(e)}\n`).join(""));
  const list = Object.entries(tests).map(([id, status]) => ({ id, status }));
  writeFileSync(join(dir, "conformance.json"), JSON.stringify({ schemaVersion: 1, api: "inference", tests: list, summary: {} }));
}

const hit = (testId: string, rel: string, endpoint = "/v1/chat/completions") => ({ test_id: testId, outcome: "hit", hash: "h", method: "POST", endpoint, model: "m", recording: rel });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "fidelity-"));
  recordingsDir = join(root, "recordings");
  reportsDir = join(root, "reports");
  recording("aa01", T("t1"), `${OLLAMA}/v1/chat/completions`, "/v1/chat/completions", { v: 2 });
  recording("aa02", T("t1"), `${OLLAMA}/v1/chat/completions`, "/v1/chat/completions", { v: 1 });
  recording("aa03", T("t2"), `${OLLAMA_NATIVE}/api/ps`, "/api/ps");
  recording("aa04", T("t3"), `${OLLAMA}/v1/chat/completions`, "/v1/chat/completions");
  recording("aa05", T("t4"), `${OLLAMA}/v1/chat/completions`, "/v1/chat/completions");
  recording("aa06", T("t1"), "https://api.openai.com/v1/v1/chat/completions", "/v1/chat/completions");
  recording("aa07", null, `${OLLAMA}/v1/models`, "/v1/models");
  recording("aa08", T("t6"), `${OLLAMA}/v1/chat/completions`, "/v1/chat/completions", {}, "llama3.2-vision:11b");
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("buildFidelityReport", () => {
  function build() {
    report(
      { [T("t1")]: "passed", [T("t2")]: "passed", [T("t3")]: "skipped", [T("t5")]: "failed" },
      [
        hit(T("t1"), "inference/recordings/aa01.json"),
        { test_id: T("t5"), outcome: "miss", hash: "h5", method: "POST", endpoint: "/v1/embeddings", model: "e", closest: null },
      ],
    );
    return buildFidelityReport({ setup: "ollama", suite: "base", stack: "embedded", apis: ["inference"], recordingsDir, reportsDir, scope: { providerBases: [OLLAMA, OLLAMA_NATIVE], modelIds: ["llama3.2:3b-instruct-fp16"] } });
  }

  it("counts the setup's recordings (model lists, other providers and other models left out) and the hits", () => {
    const api = build().apis[0]!;
    expect(api).toMatchObject({ api: "inference", available: 5, hit: 1, passed: 1, failed: 0, testsWithMisses: 1 });
  });

  it("says why each available recording was not hit", () => {
    const reasons = Object.fromEntries(build().apis[0]!.unhit.map((g) => [g.reason, g.tests]));
    expect(reasons).toEqual({
      superseded: [T("t1")],
      "test-ran-without-it": [T("t2")],
      "test-skipped": [T("t3")],
      "test-not-in-run": [T("t4")],
    });
  });

  it("classifies misses and lists the tests a baseline keeps", () => {
    const r = build();
    expect(r.apis[0]!.misses.map((m) => m.cause)).toEqual(["embeddings-never-recorded"]);
    expect(r.hittingTests).toEqual([T("t1")]);
    expect(r.passingTests).toEqual([T("t1")]);
    expect(renderFidelityMarkdown(r)).toContain("embeddings upstream computed live");
  });

  it("files a real server's miss of a recorded test under the unlogged body, and names the stack", () => {
    report({ [T("t4")]: "failed" }, [{ test_id: T("t4"), outcome: "miss", hash: "h4", method: "POST", endpoint: "/v1/chat/completions", model: "m", closest: null, source: "server-record-log" }]);
    const r = buildFidelityReport({ setup: "ollama", suite: "base", stack: "real server", apis: ["inference"], recordingsDir, reportsDir, scope: { providerBases: [OLLAMA], modelIds: [] } });
    expect(r.apis[0]!.misses.map((m) => m.cause)).toEqual(["request-not-logged"]);
    expect(renderFidelityMarkdown(r)).toContain("Stack under test: real server.");
    expect(renderFidelityMarkdown(r)).not.toContain("no recording of this test id");
  });

  it("flags a test that stopped hitting or passing against the baseline", () => {
    const verdict = compareWithBaseline(build(), { setup: "ollama", suite: "base", hittingTests: [T("t1"), T("t9")], passingTests: [T("t1")] });
    expect(verdict.lostHits).toEqual([T("t9")]);
    expect(verdict.lostPasses).toEqual([]);
  });

  it("refuses a baseline of another setup", () => {
    expect(() => compareWithBaseline(build(), { setup: "gpt", suite: "base", hittingTests: [], passingTests: [] })).toThrow(/pass that setup's baseline/);
  });
});
