/**
 * `rerecord-check --committed` on a scripted checkout: the record run is a test double (a shell
 * function standing in for the suite's record run, which needs the model server) that writes the
 * traffic log a record run would; the check itself is the real script and the real recordings CLI.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect, it } from "vitest";
import { findRepoRoot } from "../src/files.js";

const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
const hash = (c: string) => c.repeat(64);
const TEST = "tests/integration/inference/test_openai_completion.py::test_x[txt=m]";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rerecord-check-"));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  const recording = (endpoint: string) =>
    JSON.stringify({ test_id: TEST, request: { method: "POST", url: `http://127.0.0.1:8080/v1${endpoint}`, headers: {}, body: {}, endpoint, model: "m" }, response: { body: {}, is_streaming: false } }, null, 2);
  // a: asked again by the re-record; b: a later turn no test asks for any more; c: a real server's own;
  // d: a per-test model list (a real server's); e: in an API folder the run does not cover.
  write(`recordings/inference/${hash("a")}.json`, recording("/chat/completions"));
  write(`recordings/inference/${hash("b")}.json`, recording("/chat/completions"));
  write(`recordings/inference/${hash("c")}.json`, recording("/completions"));
  write(`recordings/inference/models-${hash("d")}-0123abcd.json`, recording("/models"));
  write(`recordings/vector_io/${hash("e")}.json`, recording("/embeddings"));
  write("stacks/server-only-recordings.txt", `# a real server's own\ninference/${hash("c")}.json\n`);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** committed_check over the scripted checkout, the record run asking for the hashes `requested`. */
function check(requested: string[]): { status: number | null; stderr: string } {
  const log = requested.map((h) => JSON.stringify({ test_id: TEST, outcome: "recorded", hash: h, method: "POST", endpoint: "/v1/chat/completions", model: "m" })).join("\n");
  fs.writeFileSync(path.join(dir, "traffic"), log ? `${log}\n` : "");
  const script = `
set -uo pipefail
. "${path.join(root, "scripts", "lib", "rerecord-check.sh")}"
filter=inference
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
record_run() { mkdir -p reports/inference; cp traffic reports/inference/provider-traffic.ndjson; }
committed_check inference
`;
  const r = spawnSync("bash", ["-c", script], { cwd: dir, encoding: "utf8" });
  return { status: r.status, stderr: r.stderr };
}

it("fails naming each committed recording the re-record did not request, with what to do", () => {
  const r = check([hash("a")]);
  expect(r.status).toBe(1);
  const lines = r.stderr.trim().split("\n");
  expect(lines[0]).toContain("did not request");
  expect(lines.slice(1)).toEqual([
    `rerecord-check: recordings/inference/${hash("b")}.json: no request of the run names it (test ${TEST}); delete it, or list it in stacks/server-only-recordings.txt if another stack requests it`,
  ]);
});

it("passes when the re-record requested every recording of its folders but model lists and the real servers' own", () => {
  const r = check([hash("a"), hash("b")]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
});

it("fails on a server-only entry whose file is gone: the list must not outlive it", () => {
  fs.rmSync(path.join(dir, "recordings", "inference", `${hash("c")}.json`));
  const r = check([hash("a"), hash("b")]);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`stacks/server-only-recordings.txt lists inference/${hash("c")}.json, which is not in recordings: remove the line`);
});

it("refuses to judge when a package's traffic log is missing (it did not run)", () => {
  const script = `
. "${path.join(root, "scripts", "lib", "rerecord-check.sh")}"
filter=inference,files
unrequested_check inference,files
`;
  fs.mkdirSync(path.join(dir, "reports", "inference"), { recursive: true });
  fs.writeFileSync(path.join(dir, "reports", "inference", "provider-traffic.ndjson"), "");
  const r = spawnSync("bash", ["-c", script], { cwd: dir, encoding: "utf8" });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain("could not check for unrequested recordings");
  expect(r.stderr).toContain("reports/files/provider-traffic.ndjson does not exist");
});
