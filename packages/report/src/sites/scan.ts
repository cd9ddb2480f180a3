/**
 * Finds every capability gate, `.can("<capability>", <what>)`, in the API packages' test sources. The
 * capability must be a string literal, so each gate is counted under one capability.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ReportError } from "../fs.js";
import type { GateSite } from "./model.js";

const GATE = /\.can\(/g;

/** The call's arguments as written: from just after `(` to its closing `)`, split at top-level commas. */
function callArguments(source: string, start: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = start; i < source.length; i++) {
    const c = source[i]!;
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === "\\" ? 2 : 1;
      current += source.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    if (c === ")" || c === "]" || c === "}") {
      if (depth === 0) break;
      depth--;
    }
    if (c === "," && depth === 0) {
      args.push(current.trim());
      current = "";
      continue;
    }
    current += c;
  }
  if (current.trim()) args.push(current.trim());
  return args;
}

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : testSources(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

/** Gates of one source file; `file` is its repository-relative path. */
export function scanSource(file: string, source: string): GateSite[] {
  const sites: GateSite[] = [];
  const seen = new Map<string, number>();
  for (const m of source.matchAll(GATE)) {
    const line = source.slice(0, m.index).split("\n").length;
    const [capabilityArg, what = ""] = callArguments(source, m.index + m[0].length);
    const capability = /^"([a-z_]+)"$/.exec(capabilityArg ?? "")?.[1];
    if (!capability) {
      throw new ReportError(`${file}:${line}: the capability of a gate must be a string literal (t.can("answer_quality", ...)), so the gate can be counted`);
    }
    const what1 = what.replace(/\s+/g, " ");
    const base = `${file}: ${capability} ${what1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    sites.push({ id: n === 1 ? base : `${base} #${n}`, file, line, capability, what: what1 });
  }
  return sites;
}

/** Every gate under <root>/packages/apis/<api>/test. */
export function scanGateSites(rootDir: string): GateSite[] {
  const apisDir = path.join(rootDir, "packages", "apis");
  return readdirSync(apisDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const dir = path.join(apisDir, e.name, "test");
      return existsSync(dir) ? testSources(dir) : [];
    })
    .sort()
    .flatMap((full) => scanSource(path.relative(rootDir, full).split(path.sep).join("/"), readFileSync(full, "utf8")));
}
