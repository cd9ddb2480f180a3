import fs from "node:fs";
import path from "node:path";

/** <root>/.llama-stack-tests/logs: git-ignored home of every child process's log. */
export function logsDir(rootDir: string): string {
  return path.join(rootDir, ".llama-stack-tests", "logs");
}

/** The last `lines` lines of a log file ("" when it does not exist). */
export function tailFile(file: string, lines = 40): string {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
