import fs from "node:fs";

/** A miss line of the proxy's traffic log (see @llama-stack-tests/recording's TrafficEvent). */
interface MissLine {
  test_id: string | null;
  outcome: string;
  message?: string;
  endpoint: string;
}

/**
 * Reads the misses of the proxy's traffic log as it grows. The proxy writes a miss's line before it
 * answers, so once a test's requests have returned its misses are on disk.
 */
export class ReplayMisses {
  private offset = 0;
  private partial = "";
  private readonly byTest = new Map<string, string[]>();

  constructor(private readonly file: string) {}

  /** The readable miss messages of `testId` so far. */
  of(testId: string): string[] {
    this.readNew();
    return this.byTest.get(testId) ?? [];
  }

  private readNew(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.file, "r");
    } catch {
      return; // no provider request yet
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < this.offset) this.offset = 0; // a new run truncated it
      if (size === this.offset) return;
      const buffer = Buffer.alloc(size - this.offset);
      fs.readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset = size;
      const lines = (this.partial + buffer.toString("utf8")).split("\n");
      this.partial = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.includes('"outcome":"miss"')) continue;
        const event = JSON.parse(line) as MissLine;
        if (event.outcome !== "miss" || !event.test_id) continue;
        const list = this.byTest.get(event.test_id) ?? [];
        list.push(event.message ?? `Recording not found for ${event.endpoint}`);
        this.byTest.set(event.test_id, list);
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** The error a test fails with when it missed the project's own recordings. */
export class ReplayMissError extends Error {
  constructor(messages: string[], original?: unknown) {
    const after = original instanceof Error ? `\n(The test then failed with: ${original.message.split("\n")[0]})` : "";
    super(`${messages.length} provider request(s) of this test have no recording:\n${messages.join("\n")}${after}`);
    this.name = "ReplayMissError";
  }
}
