import fs from "node:fs";
import path from "node:path";

/** Where a server this harness started on `port` records its process group id. */
export function pidFilePath(rootDir: string, port: number): string {
  return path.join(rootDir, ".llama-stack-tests", `server-${port}.pid`);
}

export function writePidFile(file: string, pid: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${pid}\n`);
  fs.renameSync(tmp, file); // atomic
}

export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function removePidFile(file: string): void {
  fs.rmSync(file, { force: true });
}
