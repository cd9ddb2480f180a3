import fs from "node:fs";
import path from "node:path";
import { OptionsError } from "../errors.js";

/** One entry of a client test project's suites.json (upstream's client-typescript format). */
export interface ClientSuiteEntry {
  suite: string;
  /** Empty or absent: any setup. */
  setup?: string;
  files: string[];
}

export function readClientSuites(projectDir: string): ClientSuiteEntry[] {
  const file = path.join(projectDir, "suites.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new OptionsError(`${file}: ${(e as Error).message}; it must be a JSON array of {"suite", "setup"?, "files"}`);
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.every((e: Partial<ClientSuiteEntry>) =>
      typeof e?.suite === "string" && (e.setup === undefined || typeof e.setup === "string") && Array.isArray(e.files) && e.files.every((f) => typeof f === "string"),
    );
  if (!valid) throw new OptionsError(`${file} must be a JSON array of {"suite": string, "setup"?: string, "files": string[]}`);
  return parsed as ClientSuiteEntry[];
}

/** Upstream's rule: the first entry of the suite whose setup is empty or equal to the run's. */
export function selectClientFiles(entries: readonly ClientSuiteEntry[], suite: string, setup: string): string[] {
  const entry = entries.find((e) => e.suite === suite && (!e.setup || e.setup === setup));
  return entry ? [...entry.files] : [];
}
