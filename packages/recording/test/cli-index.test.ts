import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RecordingIndex, RecordingStore, requestHash, serializeRecording, startRecordingProxy, TEST_ID_HEADER, type RecordingFile } from "../src/index.js";
import { parseJson } from "../src/json.js";
import { runCli } from "./cli-run.js";

const T1 = "tests/integration/inference/test_a.py::test_one";
const T2 = "tests/integration/safety/test_b.py::test_two";

function recording(testId: string | null, content: string): { hash: string; rec: RecordingFile } {
  const body = parseJson(`{"model": "m", "messages": [{"role": "user", "content": "${content}"}]}`);
  const hash = requestHash({ method: "POST", endpoint: "/v1/v1/chat/completions", body, testId });
  const rec: RecordingFile = {
    test_id: testId,
    request: { method: "POST", url: "http://127.0.0.1:8080/v1/v1/chat/completions", headers: {}, body, endpoint: "/v1/chat/completions", model: "m" },
    response: { body: { __type__: "openai.types.chat.chat_completion.ChatCompletion", __data__: { id: "chatcmpl-RANDOM", object: "chat.completion", created: 1700000000, choices: [] } }, is_streaming: false },
    id_normalization_mapping: {},
  };
  return { hash, rec };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rec-cli-"));
});
afterEach(() => {
  if (existsSync(dir)) chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

function seed(): { a: string; b: string } {
  const store = new RecordingStore(dir);
  const a = recording(T1, "one");
  const b = recording(T2, "two");
  store.write(a.hash, a.rec);
  store.write(b.hash, b.rec);
  store.close();
  return { a: a.hash, b: b.hash };
}

describe("CLI", () => {
  it("verify reports mismatched and unreadable files by name and ends with the summary line", () => {
    seed();
    writeFileSync(join(dir, "inference", `${"0".repeat(64)}.json`), serializeRecording(recording(T1, "renamed").rec));
    writeFileSync(join(dir, "inference", `${"1".repeat(64)}.json`), "{ not json");
    const r = runCli(["verify", "--dir", dir]);
    const lines = r.out.trim().split("\n");
    expect(lines.at(-1)).toBe("verified 2, mismatched 1, unreadable 1; recorder 0.4");
    expect(r.out).toContain(`mismatch inference/${"0".repeat(64)}.json`);
    expect(r.out).toMatch(new RegExp(`unreadable inference/${"1".repeat(64)}\\.json: Recording file .*${"1".repeat(64)}\\.json: not valid JSON`));
    expect(r.code).toBe(1);
  });

  it("prune keeps listed test ids, model lists and id-less recordings; dry run without --write, deletes with it", () => {
    const { a, b } = seed();
    const store = new RecordingStore(dir);
    const shared = recording(null, "session");
    const sharedRel = store.write(shared.hash, shared.rec);
    store.close();
    // A model list owned by an unlisted test still stays: every test lists models.
    const models = `models-${"2".repeat(64)}-${"3".repeat(8)}.json`;
    writeFileSync(join(dir, "inference", models), serializeRecording(recording(T2, "models").rec));

    const dry = runCli(["prune", "--dir", dir, "--tests", "-"], `${T1}\n`);
    expect(dry.code).toBe(0);
    expect(dry.out.trim().split("\n")).toEqual([`would remove safety/${b}.json\t${T2}`, "kept 3, would remove 1 (dry run: pass --write to delete)"]);
    expect(existsSync(join(dir, "safety", `${b}.json`))).toBe(true);

    const wet = runCli(["prune", "--dir", dir, "--tests", "-", "--write"], `${T1}\n`);
    expect(wet.out.trim().split("\n").at(-1)).toBe("kept 3, removed 1");
    expect(existsSync(join(dir, "safety", `${b}.json`))).toBe(false);
    for (const kept of [`inference/${a}.json`, sharedRel, `inference/${models}`]) expect(existsSync(join(dir, kept))).toBe(true);
  });

  it("prune reads the list from a file and refuses an empty list", () => {
    seed();
    const list = join(dir, "ids.txt");
    writeFileSync(list, `${T1}\n${T2}\n`);
    expect(runCli(["prune", "--dir", dir, "--tests", list]).out.trim()).toBe("kept 2, would remove 0");
    const empty = runCli(["prune", "--dir", dir, "--tests", "-"], "\n");
    expect(empty.code).toBe(2);
    expect(empty.err).toContain("no test ids read from stdin");
  });

  it("normalize rewrites ids and timestamps in place", () => {
    const { a } = seed();
    const file = join(dir, "inference", `${a}.json`);
    expect(readFileSync(file, "utf8")).toContain("chatcmpl-RANDOM");
    expect(runCli(["normalize", "--dir", dir]).out).toContain("normalized 2 of 2");
    const rec = JSON.parse(readFileSync(file, "utf8"));
    expect(rec.response.body.__data__.id).toBe(`rec-${a.slice(0, 12)}`);
    expect(rec.response.body.__data__.created).toBe(0);
    expect(runCli(["normalize", "--dir", dir]).out).toContain("normalized 0 of 2");
  });

  it("ls, stats and show read through the index", () => {
    const { a } = seed();
    const ls = runCli(["ls", "--dir", dir, "--api", "inference"]);
    expect(ls.out.trim()).toBe(`inference/${a}.json\t${T1}\t/v1/chat/completions\tm`);
    const stats = runCli(["stats", "--dir", dir]);
    expect(stats.out).toContain("recordings 2 (streaming 0, errors 0, model lists 0, unreadable 0)");
    // The index never goes into the tree it reads.
    expect(stats.out).not.toContain(`index: ${dir}`);
    expect(readdirSync(dir).sort()).toEqual(["inference", "safety"]);
    const show = runCli(["show", a, "--dir", dir]);
    expect(JSON.parse(show.out).test_id).toBe(T1);
    expect(runCli(["bogus"]).code).toBe(2);
  });
});

describe("index", () => {
  it("follows file additions, changes and removals", () => {
    const { a, b } = seed();
    const idx = new RecordingIndex(dir);
    expect(idx.sync().total).toBe(2);
    rmSync(join(dir, "safety", `${b}.json`));
    const c = recording(T1, "three");
    mkdirSync(join(dir, "inference"), { recursive: true });
    writeFileSync(join(dir, "inference", `${c.hash}.json`), serializeRecording(c.rec));
    writeFileSync(join(dir, "inference", `${a}.json`), serializeRecording({ ...recording(T1, "one").rec, test_id: T1 }) + "\n");
    expect(idx.sync()).toEqual({ added: 1, updated: 1, removed: 1, total: 2 });
    expect(idx.forTest(T1).map((r) => r.hash).sort()).toEqual([a, c.hash].sort());
    idx.close();
  });

  /** A recordings dir inside a checkout (a dir with pnpm-workspace.yaml), as the project's own. */
  function inCheckout(): { checkout: string; recordings: string } {
    const checkout = mkdtempSync(join(tmpdir(), "rec-checkout-"));
    writeFileSync(join(checkout, "pnpm-workspace.yaml"), "packages: []\n");
    rmSync(dir, { recursive: true, force: true });
    dir = join(checkout, "recordings");
    mkdirSync(dir);
    seed();
    return { checkout, recordings: dir };
  }

  it("keeps the index in the checkout's cache, never in the recordings tree it reads", () => {
    const { checkout } = inCheckout();
    try {
      const idx = new RecordingIndex(dir);
      expect(idx.path.startsWith(join(checkout, ".cache", "recordings-index") + "/")).toBe(true);
      expect(idx.sync().total).toBe(2);
      idx.close();
      expect(readdirSync(dir).sort()).toEqual(["inference", "safety"]);
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });

  it("a damaged index file does not block lookups", () => {
    const { checkout } = inCheckout();
    try {
      const probe = new RecordingIndex(dir);
      const file = probe.path;
      probe.close();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
      writeFileSync(file, "this is not a database");
      const store = new RecordingStore(dir);
      const [a] = readdirSync(join(dir, "inference"));
      expect(store.find(a!.replace(/\.json$/, ""), T1)?.rec.test_id).toBe(T1);
      store.close();
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });

  it("keeps the index outside a read-only recordings dir", () => {
    seed();
    chmodSync(dir, 0o555);
    const idx = new RecordingIndex(dir);
    expect(idx.path.startsWith(dir)).toBe(false);
    expect(idx.sync().total).toBe(2);
    idx.close();
  });

  it("a corrupt recording is an error naming the file", async () => {
    const { a } = seed();
    writeFileSync(join(dir, "inference", `${a}.json`), '{"test_id": ');
    const p = await startRecordingProxy({ mode: "replay", recordingsDir: dir, providers: [{ name: "llama-cpp", recordedBase: "http://127.0.0.1:8080/v1" }] });
    try {
      const r = await fetch(`${p.url}/llama-cpp/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", [TEST_ID_HEADER]: T1 },
        body: '{"model": "m", "messages": [{"role": "user", "content": "one"}]}',
      });
      expect(r.status).toBe(500);
      expect(((await r.json()) as { error: { message: string } }).error.message).toContain(`inference/${a}.json: not valid JSON`);
    } finally {
      await p.close();
    }
  });
});
