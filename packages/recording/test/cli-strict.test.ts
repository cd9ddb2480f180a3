import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RecordingStore, requestHash, type RecordingFile } from "../src/index.js";
import { parseJson } from "../src/json.js";
import { runCli } from "./cli-run.js";

const T = "tests/integration/inference/test_a.py::test_one";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rec-strict-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function seed(contents: string[]): string[] {
  const store = new RecordingStore(dir);
  const hashes = contents.map((content) => {
    const body = parseJson(`{"model": "m", "messages": [{"role": "user", "content": "${content}"}]}`);
    const hash = requestHash({ method: "POST", endpoint: "/v1/v1/chat/completions", body, testId: T });
    const rec: RecordingFile = {
      test_id: T,
      request: { method: "POST", url: "http://127.0.0.1:8080/v1/v1/chat/completions", headers: {}, body, endpoint: "/v1/chat/completions", model: "m" },
      response: { body: { __type__: "openai.types.chat.chat_completion.ChatCompletion", __data__: { id: "x", object: "chat.completion", created: 0, choices: [] } }, is_streaming: false },
      id_normalization_mapping: {},
    };
    store.write(hash, rec);
    return hash;
  });
  store.close();
  return hashes;
}

describe("recordings CLI: strict command line", () => {
  it("rejects unknown flags, stray arguments, a missing verb and a missing dir with one line and exit 2", () => {
    for (const argv of [["ls", "--tset", "x"], ["ls", "extra"], [], ["ls", "--dir", join(dir, "nonexistent")], ["show", "zz", "--dir", dir]]) {
      const r = runCli(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.out).toBe("");
      expect(r.err.trim().split("\n"), argv.join(" ")).toHaveLength(1);
    }
    expect(runCli(["ls", "--dir", join(dir, "nonexistent")]).err).toContain(`recordings dir ${join(dir, "nonexistent")} (from --dir) does not exist`);
  });

  it("every verb has --help", () => {
    for (const verb of ["ls", "show", "stats", "verify", "prune", "normalize", "proxy"]) {
      const r = runCli([verb, "--help"]);
      expect(r.code, verb).toBe(0);
      expect(r.out).toMatch(/^usage: recordings <verb>/);
    }
  });

  it("show takes a unique prefix of a hash, as git takes one of a commit", () => {
    const [hash] = seed(["one"]);
    const r = runCli(["show", hash!.slice(0, 8), "--dir", dir]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).test_id).toBe(T);
    const none = runCli(["show", "0000", "--dir", dir]);
    expect(none.code).toBe(2);
    expect(none.err).toContain("no recording with a hash starting 0000");
  });

  it("prune's dry run says so on its summary line", () => {
    seed(["one"]);
    const r = runCli(["prune", "--dir", dir, "--tests", "-"], "tests/other.py::test_x\n");
    expect(r.out.trim().split("\n").at(-1)).toBe("kept 0, would remove 1 (dry run: pass --write to delete)");
    expect(r.err).toBe("");
  });
});
