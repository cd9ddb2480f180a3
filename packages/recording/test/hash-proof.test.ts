/**
 * Core compatibility proof: recompute every upstream recording's hash from its stored request.
 * Python's own recorder reproduces 1,426 of the 1,480 file names; the other 54 are legacy files
 * (older hash schemes, truncated names) and must be exactly the ones that differ here too.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJson } from "../src/json.js";
import { hashFromFileName, hashOfRecording, type RecordingFile } from "../src/format.js";
import { HAVE_UPSTREAM, NO_UPSTREAM_REASON, UPSTREAM_INTEGRATION } from "./shared.js";

const LEGACY_COUNT = 54;

function recordingFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...recordingFiles(p));
    else if (name.endsWith(".json") && dir.endsWith("/recordings")) out.push(p);
  }
  return out;
}

describe.skipIf(!HAVE_UPSTREAM)(`request hash vs upstream recordings${HAVE_UPSTREAM ? "" : ` (skipped: ${NO_UPSTREAM_REASON})`}`, () => {
  it("reproduces every file name Python reproduces; exactly the 54 legacy files differ", () => {
    const files = recordingFiles(UPSTREAM_INTEGRATION);
    const mismatched: string[] = [];
    let matched = 0;
    for (const f of files) {
      const rec = parseJson(readFileSync(f, "utf8")) as unknown as RecordingFile;
      const name = f.slice(f.lastIndexOf("/") + 1);
      if (hashOfRecording(rec) === hashFromFileName(name)) matched++;
      else mismatched.push(relative(UPSTREAM_INTEGRATION, f));
    }
    console.log(`hash proof: ${matched} matched, ${mismatched.length} legacy mismatches:\n  ${mismatched.sort().join("\n  ")}`);
    expect(files.length).toBe(1480);
    expect(mismatched.length).toBe(LEGACY_COUNT);
    expect(matched).toBe(1426);
  });
});
