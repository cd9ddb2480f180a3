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
  fs.rmSync(integration, { recursive: true, force: true });
  fs.mkdirSync(recordingsDir, { recursive: true });
  const apis = fs
    .readdirSync(recordingsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  if (!apis.includes("common")) {
    fs.mkdirSync(path.join(recordingsDir, "common"));
    apis.push("common");
  }
  for (const api of apis) {
    fs.mkdirSync(path.join(integration, api), { recursive: true });
    fs.symlinkSync(path.join(recordingsDir, api), path.join(integration, api, "recordings"), "dir");
  }
  return path.join(integration, "common");
}
