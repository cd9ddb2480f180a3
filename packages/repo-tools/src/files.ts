import fs from "node:fs";
import path from "node:path";

export function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/** Write through a temporary file and rename, so a reader never sees half a file. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** One file a generator owns (whole or a marked block) and the text it must have. */
export interface DerivedFile {
  /** Relative to the repository root. */
  path: string;
  expected: string;
}

/** Files whose content differs from what the generator makes. */
export function staleFiles(rootDir: string, files: readonly DerivedFile[]): string[] {
  const current = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined);
  return files.filter((f) => current(path.join(rootDir, f.path)) !== f.expected).map((f) => f.path);
}

export function writeDerived(rootDir: string, files: readonly DerivedFile[]): string[] {
  const stale = staleFiles(rootDir, files);
  for (const f of files) if (stale.includes(f.path)) writeFileAtomic(path.join(rootDir, f.path), f.expected);
  return stale;
}

/** Finds the repository root: the nearest directory above `start` with pnpm-workspace.yaml. */
export function findRepoRoot(start: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml above ${start}: run from inside the repository`);
  }
}
