/** Where a capability gate sits: the test source line that called `can`, from the call's stack trace. */
import path from "node:path";
import { fileURLToPath } from "node:url";

const FRAME = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?$/;

/** This module's directory (src/ or the built dist/): frames there are the harness, not the gate. */
const OWN_DIR = path.dirname(fileURLToPath(import.meta.url));

/**
 * The first frame outside the harness and outside node_modules: the gate's file (relative to the
 * repository) and line. Vitest maps test sources' frames back to their TypeScript lines. Undefined
 * when that frame is not in the repository.
 */
export function gateSite(stack: string | undefined, rootDir: string, ownDir: string = OWN_DIR): { file: string; line: number } | undefined {
  for (const frame of (stack ?? "").split("\n").slice(1)) {
    const m = FRAME.exec(frame.trim());
    if (!m) continue;
    const file = m[1]!.startsWith("file://") ? fileURLToPath(m[1]!) : m[1]!;
    if (file.startsWith(ownDir + path.sep) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    const rel = path.relative(rootDir, file);
    if (rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
    return { file: rel.split(path.sep).join("/"), line: Number(m[2]) };
  }
  return undefined;
}
