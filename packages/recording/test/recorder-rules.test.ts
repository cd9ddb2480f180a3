/**
 * Hash rules by recorder version. Vectors: requests written for this project, one per rule, with the
 * file name each upstream release's own recorder gives them; then the same files through the CLI,
 * and upstream's newest tree (when ../shared has it).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashOfRecording, UnsupportedRecordingKindError, type StoredRequest } from "../src/format.js";
import { serializeRecording, writeFileAtomic } from "../src/files.js";
import { parseJson } from "../src/json.js";
import { RECORDER_VERSIONS, recorderRules, UnknownRecorderError } from "../src/recorder-rules.js";
import { runCli } from "./cli-run.js";
import { HAVE_OGX_HEAD, NO_OGX_HEAD_REASON, OGX_HEAD_INTEGRATION } from "./shared.js";

interface Vector {
  name: string;
  recording: { test_id: string | null; request: StoredRequest };
  hashes: Partial<Record<string, string | null>>;
}

const VECTORS = (parseJson(readFileSync(join(import.meta.dirname, "data/recorder-vectors.json"), "utf8")) as unknown as { vectors: Vector[] }).vectors;

describe("recorder rules by version", () => {
  for (const v of VECTORS) {
    for (const [version, expected] of Object.entries(v.hashes)) {
      it(`${v.name}: recorder ${version}`, () => {
        const rules = recorderRules(version);
        if (expected === null) expect(() => hashOfRecording(v.recording, rules)).toThrow(UnsupportedRecordingKindError);
        else expect(hashOfRecording(v.recording, rules)).toBe(expected);
      });
    }
  }

  it("every rule changes some vector's name between two adjacent versions", () => {
    for (let i = 1; i < RECORDER_VERSIONS.length; i++) {
      const [before, after] = [RECORDER_VERSIONS[i - 1]!, RECORDER_VERSIONS[i]!];
      const changed = VECTORS.filter((v) => v.hashes[before] !== undefined && v.hashes[before] !== v.hashes[after]);
      expect(changed.length, `${before} -> ${after}`).toBeGreaterThan(0);
    }
  });

  it("resolves release names to the rule set they hash with", () => {
    expect(recorderRules().version).toBe("0.4");
    expect(recorderRules("0.4.0").version).toBe("0.4");
    expect(recorderRules("0.3.2").version).toBe("0.4");
    expect(recorderRules("0.6.1").version).toBe("0.6");
    expect(recorderRules("0.7.3").version).toBe("0.7");
    expect(recorderRules("1.5.0").version).toBe("0.8");
    expect(recorderRules("latest").version).toBe("0.8");
    expect(() => recorderRules("0.1")).toThrow(UnknownRecorderError);
    expect(() => recorderRules("newest")).toThrow(/use one of 0\.2, 0\.4/);
  });
});

describe("recordings verify --recorder", () => {
  const dir = mkdtempSync(join(tmpdir(), "recorder-rules-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The vectors written as recording files named by `version`'s hashes. */
  function writeTree(version: string): string {
    const root = join(dir, version);
    for (const v of VECTORS) {
      const hash = v.hashes[version];
      if (!hash) continue;
      const rec = { ...v.recording, response: { body: {}, is_streaming: false } };
      writeFileAtomic(join(root, "versions/recordings", `${hash}.json`), serializeRecording(rec as never));
    }
    return root;
  }

  it("verifies a tree under its own recorder and names the misses under another", () => {
    const tree = writeTree("0.8");
    const own = runCli(["verify", "--dir", tree, "--recorder", "latest"]);
    expect(own.code, own.out + own.err).toBe(0);
    expect(own.out).toContain("verified 10, mismatched 0, unreadable 0; recorder 0.8");
    const old = runCli(["verify", "--dir", tree]);
    expect(old.code).toBe(1);
    // 0.4 reproduces the names no later rule changed; the two newer kinds it never wrote.
    expect(old.out).toContain("verified 4, mismatched 4, unreadable 0, of a kind this recorder never wrote 2; recorder 0.4");
  });

  it("any: a mixed tree verifies when each name has some version's rules", () => {
    const mixed = join(dir, "mixed");
    for (const version of ["0.2", "0.5", "0.7"]) {
      for (const v of VECTORS) {
        const hash = v.hashes[version];
        if (hash) writeFileAtomic(join(mixed, "versions/recordings", `${hash}.json`), serializeRecording({ ...v.recording, response: { body: {}, is_streaming: false } } as never));
      }
    }
    const r = runCli(["verify", "--dir", mixed, "--recorder", "any"]);
    expect(r.code, r.out).toBe(0);
    // 15 distinct names; each counted under the newest version whose rules give it.
    expect(r.out).toContain("verified 15, mismatched 0, unreadable 0; recorder any (by the newest rules reproducing each: 0.8 8, 0.7 1, 0.6 2, 0.4 1, 0.2 3)");
  });

  it("rejects an unknown recorder or option with the valid choices", () => {
    const r = runCli(["verify", "--dir", dir, "--recorder", "9.9"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown recorder "9.9": use one of 0.2, 0.4, 0.5, 0.6, 0.7, 0.8');
    const flag = runCli(["verify", "--dir", dir, "--recorders", "0.8"]);
    expect(flag.code).toBe(2);
    expect(flag.err).toContain("unknown option --recorders for verify");
  });
});

describe.skipIf(!HAVE_OGX_HEAD)(`upstream's newest tree${HAVE_OGX_HEAD ? "" : ` (skipped: ${NO_OGX_HEAD_REASON})`}`, () => {
  it("latest reproduces every name upstream's newest recorder reproduces; any covers the older generations", () => {
    const latest = runCli(["verify", "--dir", OGX_HEAD_INTEGRATION, "--recorder", "latest"]);
    // Upstream's own recorder (0.8 and later) reproduces 2,715 of the 3,162; the 2 file_processors
    // recordings come from 0.8's development, when that kind was recorded.
    expect(latest.out).toContain("verified 2717, mismatched 445, unreadable 0; recorder 0.8");
    const any = runCli(["verify", "--dir", OGX_HEAD_INTEGRATION, "--recorder", "any"]);
    expect(any.out).toContain("verified 3017, mismatched 145, unreadable 0; recorder any (by the newest rules reproducing each: 0.8 2717, 0.7 288, 0.2 12)");
  });
});
