import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unrequestedRecordings } from "../src/unrequested.js";
import { runCli } from "./cli-run.js";

const h = (c: string) => c.repeat(64);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "unrequested-"));
  mkdirSync(join(dir, "rec", "tool_runtime"), { recursive: true });
  for (const c of ["a", "b", "c"]) writeFileSync(join(dir, "rec", "tool_runtime", `${h(c)}.json`), JSON.stringify({ test_id: `t-${c}`, request: { method: "POST", url: "http://x/v1/chat/completions", headers: {}, body: {}, endpoint: "/v1/chat/completions", model: "m" }, response: { body: {}, is_streaming: false } }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const log = (events: object[]) => {
  const file = join(dir, `traffic-${Math.random()}.ndjson`);
  writeFileSync(file, events.map((e) => `${JSON.stringify(e)}\n`).join(""));
  return file;
};

describe("unrequested recordings", () => {
  it("counts recorded and replayed requests alike, by hash, across every package's log", () => {
    const recorded = log([{ test_id: "t-a", outcome: "recorded", hash: h("a") }]);
    // A tool call is replayed even in a record run: its hit names the file.
    const replayed = log([{ test_id: "t-b", outcome: "hit", hash: h("b"), recording: `tool_runtime/${h("b")}.json` }, { outcome: "forwarded", hash: "" }]);
    const found = unrequestedRecordings({ dir: join(dir, "rec"), trafficLogs: [recorded, replayed], folders: ["tool_runtime"], keep: new Set() });
    expect(found).toEqual([{ rel: `tool_runtime/${h("c")}.json`, testId: "t-c" }]);
  });

  it("the CLI names its missing inputs and exits 2", () => {
    const r = runCli(["unrequested", "--dir", join(dir, "rec"), "--api", "tool_runtime"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unrequested needs --traffic LOG");
  });
});
