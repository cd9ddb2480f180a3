import fs from "node:fs";
import path from "node:path";
import type { Suite } from "./types.js";

export const SUITES_FILE = "suites.json";

export class SuitesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SuitesError";
  }
}

/** The nearest directory at or above `from` holding pnpm-workspace.yaml. */
export function findRepoRoot(from: string = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new SuitesError(`No pnpm-workspace.yaml at or above ${from}: run from inside the llama-stack-tests repository`);
    }
    dir = parent;
  }
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v === "")) {
    throw new SuitesError(`${where} must be a list of non-empty strings`);
  }
  return value as string[];
}

/** Validates the parsed content of suites.json. */
export function parseSuites(data: unknown, source = SUITES_FILE): Record<string, Suite> {
  const suites = (data as { suites?: unknown } | null)?.suites;
  if (typeof suites !== "object" || suites === null || Array.isArray(suites)) {
    throw new SuitesError(`${source}: expected {"suites": {"<name>": {...}}}`);
  }
  const out: Record<string, Suite> = {};
  for (const [name, raw] of Object.entries(suites as Record<string, unknown>)) {
    const where = `${source}: suite "${name}"`;
    const s = raw as Record<string, unknown>;
    if (typeof s !== "object" || s === null) throw new SuitesError(`${where} must be an object`);
    if (typeof s.defaultSetup !== "string" || !s.defaultSetup) throw new SuitesError(`${where}.defaultSetup must be a setup name`);
    const suite: Suite = {
      name,
      description: typeof s.description === "string" ? s.description : "",
      packages: stringList(s.packages, `${where}.packages`),
      defaultSetup: s.defaultSetup,
    };
    if (s.files !== undefined) suite.files = stringList(s.files, `${where}.files`);
    out[name] = suite;
  }
  return out;
}

/** Reads <repo root>/suites.json, the one source of truth for suite -> packages. */
export function loadSuites(rootDir: string = findRepoRoot()): Record<string, Suite> {
  const file = path.join(rootDir, SUITES_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new SuitesError(`Cannot read ${file}: suites are defined there (see packages/setups/README.md)`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SuitesError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseSuites(data, file);
}

export function getSuite(suites: Record<string, Suite>, name: string): Suite {
  const suite = Object.hasOwn(suites, name) ? suites[name] : undefined;
  if (!suite) throw new SuitesError(`Unknown suite: ${name}. Available: ${Object.keys(suites).sort().join(", ")}`);
  return suite;
}
