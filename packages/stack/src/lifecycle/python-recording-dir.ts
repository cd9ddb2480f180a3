import fs from "node:fs";
import path from "node:path";

/**
 * Llama Stack's builtin recorder takes LLAMA_STACK_TEST_RECORDING_DIR = <repo>/tests/integration/common
 * and writes a test's recordings to <repo>/tests/integration/<api>/recordings (session-level ones to
 * <base>/recordings). This builds that shape under <root>/.llama-stack-tests/python-recordings with
 * each `<api>/recordings` a symlink to `<recordingsDir>/<api>` (this repo's layout) or, when that has a
 * `recordings` folder, to `<recordingsDir>/<api>/recordings` (upstream's tree), so the Python recorder
 * reads and writes that tree. Returns the directory to pass as LLAMA_STACK_TEST_RECORDING_DIR.
 */
export function pythonRecordingDir(
  rootDir: string,
  recordingsDir: string,
  /** When the recorder writes: API dirs (test-id dirs) to create in recordingsDir so its files land there. */
  writableApis: readonly string[] = [],
): string {
  const integration = path.join(rootDir, ".llama-stack-tests", "python-recordings", "tests", "integration");
  if (writableApis.length > 0) {
    for (const api of [...writableApis, "common"]) fs.mkdirSync(path.join(recordingsDir, api), { recursive: true });
  }
  const apis = fs.existsSync(recordingsDir)
    ? fs
        .readdirSync(recordingsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
    : [];
  // Links left by a run over another tree would read (or write) the wrong recordings.
  if (fs.existsSync(integration)) {
    for (const dir of fs.readdirSync(integration)) {
      const link = path.join(integration, dir, "recordings");
      if (!apis.includes(dir) && fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) fs.rmSync(link, { force: true });
    }
  }
  // Idempotent, and safe when several API packages build it at once.
  for (const api of apis) {
    const link = path.join(integration, api, "recordings");
    const upstreamLayout = path.join(recordingsDir, api, "recordings");
    const target = fs.statSync(upstreamLayout, { throwIfNoEntry: false })?.isDirectory() ? upstreamLayout : path.join(recordingsDir, api);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    let current: string | undefined;
    try {
      current = fs.readlinkSync(link);
    } catch {
      current = undefined;
    }
    if (current === target) continue;
    if (current !== undefined) fs.rmSync(link, { force: true });
    try {
      fs.symlinkSync(target, link, "dir");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || fs.readlinkSync(link) !== target) throw e;
    }
  }
  return path.join(integration, "common");
}
