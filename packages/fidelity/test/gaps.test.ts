import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  buildFidelityReport,
  failureCause,
  gapsVerdict,
  knownGapsPath,
  readKnownGaps,
  renderFidelityMarkdown,
  TRAFFIC_LOG_NAME,
  writeKnownGaps,
  type KnownGap,
} from "../src/index.js";

const OLLAMA = "http://0.0.0.0:11434/v1";
const T = (name: string) => `tests/integration/inference/test_x.py::${name}`;

let root: string;
let recordingsDir: string;
let reportsDir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "fidelity-gaps-"));
  recordingsDir = join(root, "recordings");
  reportsDir = join(root, "reports");
  const dir = join(recordingsDir, "inference", "recordings");
  mkdirSync(dir, { recursive: true });
  const rec = { test_id: T("real"), request: { method: "POST", url: `${OLLAMA}/v1/chat/completions`, headers: {}, body: {}, endpoint: "/v1/chat/completions", model: "m" }, response: { body: {} } };
  writeFileSync(join(dir, "aa01.json"), JSON.stringify(rec));
  // real: hit, then failed on the answer; embed: its embeddings were never recorded; bare: no provider request; ok: passed.
  const tests = [
    { id: T("real"), status: "failed", error: "expected 'x' to contain 'paris'\nstack..." },
    { id: T("embed"), status: "failed", error: "embedding model not served" },
    { id: T("bare"), status: "failed", error: "500" },
    { id: T("ok"), status: "passed" },
  ];
  const traffic = [
    { test_id: T("real"), outcome: "hit", hash: "h", method: "POST", endpoint: "/v1/chat/completions", model: "m", recording: "inference/recordings/aa01.json" },
    { test_id: T("embed"), outcome: "miss", hash: "h2", method: "POST", endpoint: "/v1/embeddings", model: "e", closest: null },
  ];
  mkdirSync(join(reportsDir, "inference"), { recursive: true });
  writeFileSync(join(reportsDir, "inference", TRAFFIC_LOG_NAME), traffic.map((e) => `${JSON.stringify(e)}\n`).join(""));
  writeFileSync(join(reportsDir, "inference", "conformance.json"), JSON.stringify({ schemaVersion: 1, api: "inference", tests, summary: {} }));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function build(knownGaps?: KnownGap[]) {
  return buildFidelityReport({
    setup: "ollama",
    suite: "base",
    stack: "embedded",
    apis: ["inference"],
    recordingsDir,
    reportsDir,
    scope: { providerBases: [OLLAMA], modelIds: ["m"] },
    ...(knownGaps ? { knownGaps } : {}),
  });
}

describe("known gaps", () => {
  it("gives every failed test a cause from its misses, or says it failed on real output or without a request", () => {
    expect(build().failures.map((f) => [f.test, f.cause, f.error])).toEqual([
      [T("bare"), "no-provider-request", "500"],
      [T("embed"), "embeddings-never-recorded", "embedding model not served"],
      [T("real"), "fails-on-real-output", "expected 'x' to contain 'paris'"],
    ]);
  });

  it("fails the run on a failure the known gaps do not list, or list with another cause", () => {
    const verdict = gapsVerdict(build([{ test: T("embed"), cause: "embeddings-never-recorded" }, { test: T("real"), cause: "message-construction" }]));
    expect(verdict.ok).toBe(false);
    expect(verdict.unexplained.map((f) => f.test)).toEqual([T("bare"), T("real")]);
    expect(verdict.stale).toEqual([{ test: T("real"), listedCause: "message-construction", now: "fails-on-real-output" }]);
  });

  it("fails the run when a known gap passes or is not run, so the list stays true", () => {
    const gaps: KnownGap[] = [
      { test: T("bare"), cause: "no-provider-request" },
      { test: T("embed"), cause: "embeddings-never-recorded" },
      { test: T("real"), cause: "fails-on-real-output" },
      { test: T("ok"), cause: "fails-on-real-output" },
      { test: T("gone"), cause: "test-not-recorded" },
    ];
    const r = build(gaps);
    expect(gapsVerdict(r).unexplained).toEqual([]);
    expect(gapsVerdict(r).stale.map((g) => [g.test, g.now])).toEqual([[T("ok"), "passed"], [T("gone"), "not run"]]);
    const md = renderFidelityMarkdown(r);
    expect(md).toContain("## Known gaps that no longer fail as listed");
    expect(md).toContain("every request hit, and an assertion failed on upstream's real output: 1 (known gaps)");
  });

  it("holds when the known gaps list exactly the failures; the written file reads back as such", () => {
    const file = knownGapsPath(join(root, "ollama.json"));
    expect(file).toBe(join(root, "ollama.known-gaps.json"));
    writeKnownGaps(file, build());
    const written = readKnownGaps(file)!;
    expect(written.gaps.map((g) => g.cause)).toEqual(["no-provider-request", "embeddings-never-recorded", "fails-on-real-output"]);
    expect(gapsVerdict(build(written.gaps))).toMatchObject({ ok: true, unexplained: [], stale: [] });
    expect(renderFidelityMarkdown(build())).toContain("**unexplained**");
  });

  it("rejects a known-gaps file with an unknown cause, naming the causes", () => {
    const file = join(root, "bad.known-gaps.json");
    writeFileSync(file, JSON.stringify({ setup: "ollama", suite: "base", gaps: [{ test: "x", cause: "flaky" }] }));
    expect(() => readKnownGaps(file)).toThrow(/fails-on-real-output/);
    expect(readKnownGaps(join(root, "none.json"))).toBeNull();
    expect(readFileSync(file, "utf8")).toContain("flaky");
  });

  it("prefers the missing recording over how a request differs, and model lists last", () => {
    expect(failureCause(["model-list", "message-construction"], true)).toBe("message-construction");
    expect(failureCause(["default-parameters", "test-not-recorded"], true)).toBe("test-not-recorded");
    expect(failureCause([], false)).toBe("no-provider-request");
  });
});
