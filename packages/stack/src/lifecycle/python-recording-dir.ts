import fs from "node:fs";
import path from "node:path";

/**
 * Llama Stack's builtin recorder takes LLAMA_STACK_TEST_RECORDING_DIR = <repo>/tests/integration/common
 * and writes a test's recordings to <repo>/tests/integration/<api>/recordings (session-level ones to
 * <base>/recordings). This builds that shape under <root>/.llama-stack-tests/python-recordings with
 * each `<api>/recordings` a symlink to this repo's `<recordingsDir>/<api>`, so the Python recorder
 * reads and writes this repo's tree. Returns the directory to pass as LLAMA_STACK_TEST_RECORDING_DIR.
 */
export function pythonRecordingDir(rootDir: string, recordingsDir: string): string {
  const integration = path.join(rootDir, ".llama-stack-tests", "python-recordings", "tests", "integration");
  fs.mkdirSync(recordingsDir, { recursive: true });
  const apis = fs
    .readdirSync(recordingsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  if (!apis.includes("common")) {
    fs.mkdirSync(path.join(recordingsDir, "common"), { recursive: true });
    apis.push("common");
  }
  // Idempotent, and safe when several API packages build it at once.
  for (const api of apis) {
    const link = path.join(integration, api, "recordings");
    const target = path.join(recordingsDir, api);
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
