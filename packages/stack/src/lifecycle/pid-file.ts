import fs from "node:fs";
import path from "node:path";

/** What the pid file of a server this harness started records. */
export interface PidRecord {
  /** Process group id. */
  pid: number;
  /** Digest of the options it was started for: only a run with the same key may reuse it. */
  key: string;
}

/** Where a server this harness started on `port` records its process group id and options key. */
export function pidFilePath(rootDir: string, port: number): string {
  return path.join(rootDir, ".llama-stack-tests", `server-${port}.pid`);
}

export function writePidFile(file: string, record: PidRecord): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${record.pid} ${record.key}\n`);
  fs.renameSync(tmp, file); // atomic
}

export function readPidFile(file: string): PidRecord | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
  const [pidText, key = ""] = text.split(/\s+/, 2);
  const pid = Number(pidText);
  return Number.isInteger(pid) && pid > 0 ? { pid, key } : undefined;
}

export function removePidFile(file: string): void {
  fs.rmSync(file, { force: true });
}
