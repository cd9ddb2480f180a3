import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pythonRecordingDir } from "../src/lifecycle/python-recording-dir.js";

describe("pythonRecordingDir", () => {
  it("maps the Python recorder's layout onto <recordings>/<api>", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pyrec-"));
    try {
      const recordings = path.join(root, "recordings");
      fs.mkdirSync(path.join(recordings, "inference"), { recursive: true });
      const base = pythonRecordingDir(root, recordings, ["inference"]);
      expect(path.basename(base)).toBe("common");
      // The recorder's per-test dir: base.parent.parent.parent / tests/integration/<api>/recordings
      const repo = path.dirname(path.dirname(path.dirname(base)));
      fs.writeFileSync(path.join(repo, "tests/integration/inference/recordings/abc.json"), "{}");
      expect(fs.existsSync(path.join(recordings, "inference", "abc.json"))).toBe(true);
      // Session-level recordings: base/recordings
      fs.writeFileSync(path.join(base, "recordings", "models.json"), "{}");
      expect(fs.existsSync(path.join(recordings, "common", "models.json"))).toBe(true);
      // Rebuilding keeps the recordings themselves; another recordings dir relinks
      pythonRecordingDir(root, recordings);
      expect(fs.existsSync(path.join(recordings, "inference", "abc.json"))).toBe(true);
      const other = path.join(root, "other");
      fs.mkdirSync(path.join(other, "inference"), { recursive: true });
      pythonRecordingDir(root, other);
      expect(fs.readlinkSync(path.join(repo, "tests/integration/inference/recordings"))).toBe(path.join(other, "inference"));
      // A recording run creates every API dir it may write to, so no recording lands outside the tree
      const fresh = path.join(root, "fresh");
      pythonRecordingDir(root, fresh, ["vector_io"]);
      expect(fs.readlinkSync(path.join(repo, "tests/integration/vector_io/recordings"))).toBe(path.join(fresh, "vector_io"));
      expect(fs.existsSync(path.join(fresh, "common"))).toBe(true);
      // Upstream's tree keeps each API's recordings in <api>/recordings
      const upstream = path.join(root, "upstream");
      fs.mkdirSync(path.join(upstream, "inference", "recordings"), { recursive: true });
      fs.writeFileSync(path.join(upstream, "inference", "recordings", "def.json"), "{}");
      pythonRecordingDir(root, upstream);
      expect(fs.existsSync(path.join(repo, "tests/integration/inference/recordings/def.json"))).toBe(true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
