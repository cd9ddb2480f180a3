import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TOOL_ENDPOINT, apiOfTestId, parseRecordLog, recordingRelTo, writeServerTraffic } from "../src/lifecycle/record-log.js";

const R = "2026-12-06 02:54:00,900 llama_stack.testing.api_recorder";
const T = "tests/integration/inference/test_openai_completion.py::test_openai_completion_non_streaming[txt=ollama/llama3.2:3b-instruct-fp16-inference:completion:sanity]";
const S = "tests/integration/safety/test_safety.py::test_unsafe_examples[shield=llama-guard]";
const TOOL = "tests/integration/tool_runtime/test_builtin_tools.py::test_web_search_tool[txt=ollama/llama3.2:3b-instruct-fp16]";
const BASE = "/x/python-recordings/tests/integration";
const h = (c: string) => c.repeat(64);

// The record log's exact shape (LLAMA_STACK_LOG_FILE with LLAMA_STACK_TEST_DEBUG=1), abridged.
const LOG = [
  // Startup: a model-list merge (no lookup lines) is not a lookup.
  `${R}:166 testing:  Hash computation:`,
  `${R}:167 testing:   Test ID: None`,
  `${R}:168 testing:   Method: POST`,
  `${R}:169 testing:   Endpoint: /v1/v1/models`,
  `${R}:170 testing:   Model: N/A`,
  `${R}:171 testing:   Computed hash: ${h("0")}`,
  `${R}:401 testing:  Path resolution (no test context):`,
  `${R}:402 testing:   Base dir: ${BASE}/common`,
  `2026-12-06 02:54:00,901 uvicorn.access:473 uncategorized: 127.0.0.1:37170 - "GET /v1/models HTTP/1.1" 200`,
  // A hit in the test's folder.
  `${R}:662 testing:  Entering inference method:`,
  `${R}:663 testing:   Mode: replay`,
  `${R}:665 testing:   Endpoint: /v1/completions`,
  `${R}:666 testing:   Test context: ${T}`,
  `${R}:166 testing:  Hash computation:`,
  `${R}:167 testing:   Test ID: ${T}`,
  `${R}:168 testing:   Method: POST`,
  `${R}:169 testing:   Endpoint: /v1/v1/completions`,
  `${R}:170 testing:   Model: llama3.2:3b-instruct-fp16`,
  `${R}:171 testing:   Computed hash: ${h("a")}`,
  `${R}:380 testing:  Path resolution (absolute base_dir):`,
  `${R}:381 testing:   Test ID: ${T}`,
  `${R}:475 testing:  Looking up recording:`,
  `${R}:476 testing:   Request hash: ${h("a")}`,
  `${R}:477 testing:   Primary path: ${BASE}/inference/recordings/${h("a")}.json`,
  `${R}:478 testing:   Primary exists: True`,
  `${R}:482 testing:   Found in primary location`,
  // A miss, its traceback lines in between.
  `${R}:662 testing:  Entering inference method:`,
  `${R}:665 testing:   Endpoint: /v1/chat/completions`,
  `${R}:666 testing:   Test context: ${S}`,
  `${R}:166 testing:  Hash computation:`,
  `${R}:167 testing:   Test ID: ${S}`,
  `${R}:168 testing:   Method: POST`,
  `${R}:169 testing:   Endpoint: /v1/v1/chat/completions`,
  `${R}:170 testing:   Model: llama-guard3:1b`,
  `${R}:171 testing:   Computed hash: ${h("b")}`,
  `${R}:380 testing:  Path resolution (absolute base_dir):`,
  `${R}:475 testing:  Looking up recording:`,
  `${R}:476 testing:   Request hash: ${h("b")}`,
  `${R}:477 testing:   Primary path: ${BASE}/safety/recordings/${h("b")}.json`,
  `${R}:478 testing:   Primary exists: False`,
  `${R}:490 testing:   Fallback path: ${BASE}/common/recordings/${h("b")}.json`,
  `${R}:491 testing:   Fallback exists: False`,
  `${R}:499 testing:   Recording not found in either location`,
  `${R}:724 testing:  Recording not found!`,
  `${R}:726 testing:   Request hash: ${h("b")}`,
  "Traceback (most recent call last):",
  '  File "server.py", line 254, in route_handler',
  // A model-list merge inside a test, then a tool lookup found in the session folder.
  `${R}:662 testing:  Entering inference method:`,
  `${R}:665 testing:   Endpoint: /v1/models`,
  `${R}:166 testing:  Hash computation:`,
  `${R}:171 testing:   Computed hash: ${h("0")}`,
  `${R}:380 testing:  Path resolution (absolute base_dir):`,
  `${R}:381 testing:   Test ID: ${TOOL}`,
  `${R}:380 testing:  Path resolution (absolute base_dir):`,
  `${R}:381 testing:   Test ID: ${TOOL}`,
  `${R}:475 testing:  Looking up recording:`,
  `${R}:476 testing:   Request hash: ${h("c")}`,
  `${R}:477 testing:   Primary path: ${BASE}/tool_runtime/recordings/${h("c")}.json`,
  `${R}:490 testing:   Fallback path: ${BASE}/common/recordings/${h("c")}.json`,
  `${R}:495 testing:   Found in fallback location`,
  "",
].join("\n");

describe("parseRecordLog", () => {
  const events = parseRecordLog(LOG, { recordingRel: (p) => path.relative(BASE, p) });

  it("turns every lookup into one traffic event, model-list merges left out", () => {
    expect(events.map((e) => [e.test_id, e.outcome, e.hash[0]])).toEqual([
      [T, "hit", "a"],
      [S, "miss", "b"],
      [TOOL, "hit", "c"],
    ]);
  });

  it("names the endpoint as recordings do, the model, and the recording that answered", () => {
    expect(events[0]).toEqual({
      test_id: T,
      outcome: "hit",
      hash: h("a"),
      method: "POST",
      endpoint: "/v1/completions",
      model: "llama3.2:3b-instruct-fp16",
      recording: `inference/recordings/${h("a")}.json`,
      source: "server-record-log",
    });
    expect(events[1]).toMatchObject({ endpoint: "/v1/chat/completions", model: "llama-guard3:1b", closest: null });
    expect(events[1]!.recording).toBeUndefined();
    expect(events[2]).toMatchObject({ endpoint: TOOL_ENDPOINT, model: "", recording: `common/recordings/${h("c")}.json` });
  });
});

describe("apiOfTestId", () => {
  it("takes the API folder from upstream's test id", () => {
    expect(apiOfTestId(S)).toBe("safety");
    expect(apiOfTestId(null)).toBeNull();
    expect(apiOfTestId("test_x.py::t")).toBeNull();
  });
});

describe("recordingRelTo", () => {
  it("resolves the recorder's linked path to the recording in the tree", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "reclog-"));
    try {
      const tree = path.join(root, "tree", "inference", "recordings");
      fs.mkdirSync(tree, { recursive: true });
      fs.writeFileSync(path.join(tree, "a.json"), "{}");
      fs.mkdirSync(path.join(root, "py", "inference"), { recursive: true });
      fs.symlinkSync(tree, path.join(root, "py", "inference", "recordings"), "dir");
      const rel = recordingRelTo(path.join(root, "tree"));
      expect(rel(path.join(root, "py", "inference", "recordings", "a.json"))).toBe("inference/recordings/a.json");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("writeServerTraffic", () => {
  it("writes the run's lookups (from its offset on) as each API's traffic log", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "reclog-"));
    try {
      const tree = path.join(root, "tree");
      fs.mkdirSync(path.join(tree, "inference", "recordings"), { recursive: true });
      // A reused server's log still holds an earlier run's lookups.
      const earlier = LOG;
      const logPath = path.join(root, "records.log");
      fs.writeFileSync(logPath, earlier + LOG);
      const reportsDir = path.join(root, "reports");
      const summary = writeServerTraffic({
        logPath,
        fromOffset: Buffer.byteLength(earlier),
        recordingsDir: tree,
        reportsDir,
        apis: ["inference", "safety", "files"],
        trafficLogName: "traffic.ndjson",
      });
      // The tool_runtime lookup is outside this suite's APIs.
      expect(summary).toEqual({ lookups: 3, unattributed: 1 });
      const read = (api: string) => fs.readFileSync(path.join(reportsDir, api, "traffic.ndjson"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { test_id: string; outcome: string });
      expect(read("inference").map((e) => [e.test_id, e.outcome])).toEqual([[T, "hit"]]);
      expect(read("safety").map((e) => [e.test_id, e.outcome])).toEqual([[S, "miss"]]);
      expect(read("files")).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
