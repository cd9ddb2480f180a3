/** Where a capability gate sits: the test source line that called `can`, from the call's stack trace. */
import path from "node:path";
import { fileURLToPath } from "node:url";

const FRAME = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?$/;

/** The harness's own code: src/ and the built dist/ (whose frames vitest maps back to src/). */
const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OWN_DIRS = [path.join(PACKAGE_DIR, "src"), path.join(PACKAGE_DIR, "dist")];

/**
 * The first frame outside the harness and outside node_modules: the gate's file (relative to the
 * repository) and line. Vitest maps test sources' frames back to their TypeScript lines. Undefined
 * when that frame is not in the repository.
 */
export function gateSite(stack: string | undefined, rootDir: string, ownDirs: readonly string[] = OWN_DIRS): { file: string; line: number } | undefined {
  for (const frame of (stack ?? "").split("\n").slice(1)) {
    const m = FRAME.exec(frame.trim());
    if (!m) continue;
    const file = m[1]!.startsWith("file://") ? fileURLToPath(m[1]!) : m[1]!;
    if (ownDirs.some((d) => file.startsWith(d + path.sep)) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    const rel = path.relative(rootDir, file);
    if (rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
    return { file: rel.split(path.sep).join("/"), line: Number(m[2]) };
  }
  return undefined;
}
