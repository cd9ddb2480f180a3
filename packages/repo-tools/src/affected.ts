import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { RepoToolsError } from "./errors.js";

/** suites.json's shape, as far as the mapping needs it. */
interface SuitesFile {
  suites: Record<string, { packages: string[] }>;
}

/** The turbo filters of what a change affects (see affectedFilters). */
export interface AffectedInput {
  base: string;
  changed: readonly string[];
  /** API package names by their directory under packages/apis (= their recordings folder). */
  apiPackages: ReadonlyMap<string, string>;
  suitesBefore: SuitesFile | undefined;
  suitesAfter: SuitesFile | undefined;
}

/** Packages of the suites whose entry differs between the two versions of suites.json. */
function changedSuitePackages(before: SuitesFile | undefined, after: SuitesFile | undefined): string[] {
  const names = new Set([...Object.keys(before?.suites ?? {}), ...Object.keys(after?.suites ?? {})]);
  const out = new Set<string>();
  for (const name of names) {
    const a = before?.suites[name];
    const b = after?.suites[name];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    for (const p of [...(a?.packages ?? []), ...(b?.packages ?? [])]) out.add(p);
  }
  return [...out];
}

/**
 * turbo's --affected only counts files inside a package, but an API package's tests also read the
 * repo-level recordings/<api>/ and suites.json (its turbo inputs). These filters add those packages
 * to turbo's own git-range filter (changed packages and their dependents), as a union.
 */
export function affectedFilters(input: AffectedInput): string[] {
  const packages = new Set<string>();
  for (const file of input.changed) {
    const [top, folder] = file.split("/");
    if (top === "recordings" && folder) {
      // Session-level recordings (common/) serve every API.
      if (folder === "common") for (const p of input.apiPackages.values()) packages.add(p);
      const pkg = input.apiPackages.get(folder);
      if (pkg) packages.add(pkg);
    }
    if (file === "suites.json") for (const p of changedSuitePackages(input.suitesBefore, input.suitesAfter)) packages.add(p);
  }
  return [`--filter=...[${input.base}]`, ...[...packages].sort().map((p) => `--filter=${p}`)];
}

function git(rootDir: string, args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: rootDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim().split("\n")[0] ?? (e as Error).message;
    throw new RepoToolsError(`git ${args.join(" ")} failed: ${stderr}`);
  }
}

/** Reads the change since `base` (committed since the merge base, staged, unstaged, untracked) from git. */
export function affectedFromGit(rootDir: string, base: string): string[] {
  git(rootDir, ["rev-parse", "--verify", "--quiet", `${base}^{commit}`]);
  const changed = new Set<string>();
  const lines = (text: string) => text.split("\n").filter(Boolean);
  for (const f of lines(git(rootDir, ["diff", "--name-only", `${base}...HEAD`]))) changed.add(f);
  for (const f of lines(git(rootDir, ["diff", "--name-only", "HEAD"]))) changed.add(f);
  for (const f of lines(git(rootDir, ["ls-files", "--others", "--exclude-standard"]))) changed.add(f);
  const apisDir = path.join(rootDir, "packages", "apis");
  const apiPackages = new Map<string, string>();
  for (const dir of fs.existsSync(apisDir) ? fs.readdirSync(apisDir) : []) {
    const manifest = path.join(apisDir, dir, "package.json");
    if (fs.existsSync(manifest)) apiPackages.set(dir, (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name: string }).name);
  }
  const parse = (text: string | undefined) => (text ? (JSON.parse(text) as SuitesFile) : undefined);
  let before: string | undefined;
  try {
    before = execFileSync("git", ["show", `${base}:suites.json`], { cwd: rootDir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    before = undefined; // not in the base: every suite is new
  }
  const afterFile = path.join(rootDir, "suites.json");
  return affectedFilters({
    base,
    changed: [...changed],
    apiPackages,
    suitesBefore: parse(before),
    suitesAfter: parse(fs.existsSync(afterFile) ? fs.readFileSync(afterFile, "utf8") : undefined),
  });
}
