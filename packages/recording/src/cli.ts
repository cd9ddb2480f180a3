#!/usr/bin/env node
/** `recordings ls|show|stats|verify|prune|unrequested|normalize|proxy` over a recordings directory. */
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { readRecording, serializeRecording, writeFileAtomic, listRecordingFiles } from "./files.js";
import { hashOfRecording, UnsupportedRecordingKindError } from "./format.js";
import { allRecorderRules, recorderRules, RECORDER_VERSIONS, type RecorderRules } from "./recorder-rules.js";
import { RecordingIndex } from "./index-db.js";
import { parseInferenceMode } from "./modes.js";
import { normalizeRecording } from "./normalize.js";
import { startRecordingProxy } from "./proxy.js";
import { onStopRequest } from "./stop-request.js";
import { DEFAULT_PROVIDER_ROUTES, parseRouteSpec, type ProviderRoute } from "./routes.js";
import { missingKeepEntries, readKeepList, unrequestedRecordings, UnrequestedInputError } from "./unrequested.js";

class UsageError extends Error {}

const USAGE = `usage: recordings <verb> [options]
  ls        [--dir D] [--test SUBSTR] [--api FOLDER]   list recordings (path, test id, endpoint, model)
  show      <hash|path> [--dir D]                      print one recording
  stats     [--dir D]                                  counts by folder and endpoint
  verify    [--dir D] [--recorder V|any]               every file parses and its name is its hash under recorder V's rules
                                                       (${RECORDER_VERSIONS.join(", ")}, latest; default 0.4, upstream 7da733091a);
                                                       any: a name counts when some version's rules reproduce it
  prune     --tests FILE|- [--dir D] [--write]         remove recordings whose test id is not listed (dry run without --write);
                                                       model lists and recordings without a test id are kept
  unrequested --traffic LOG... --api FOLDER[,FOLDER] [--keep FILE] [--dir D]
                                                       recordings in those API folders whose hash no request of the
                                                       traffic logs names (what a record run no longer asks for);
                                                       model lists and the files --keep lists (other stacks' own) are
                                                       not judged; exit 1 naming each, or a --keep entry with no file
  normalize [--dir D]                                  re-normalize ids/timestamps in place
  proxy     [--mode M] [--dir D] [--route name=target[,recordedBase]]... [--port N] [--host H]
--dir defaults to $LLAMA_STACK_TEST_RECORDINGS_DIR or ./recordings; it may also be an upstream tests/integration tree.`;

interface Args {
  positional: string[];
  flags: Map<string, string[]>;
}

const BOOLEAN_FLAGS = new Set(["write", "help"]);
/** Positional arguments each verb takes. */
const VERB_POSITIONALS: Readonly<Record<string, number>> = { show: 1 };
/** Verbs that read a recordings tree, which must exist. */
const READING_VERBS = new Set(["ls", "show", "stats", "verify", "prune", "unrequested", "normalize"]);

/** The flags each verb reads; any other is an error, not silently ignored. */
const VERB_FLAGS: Readonly<Record<string, readonly string[]>> = {
  ls: ["dir", "test", "api"],
  show: ["dir"],
  stats: ["dir"],
  verify: ["dir", "recorder"],
  prune: ["dir", "tests", "write"],
  unrequested: ["dir", "traffic", "api", "keep"],
  normalize: ["dir"],
  proxy: ["dir", "mode", "route", "port", "host"],
};

function checkFlags(verb: string, a: Args): void {
  const allowed = [...(VERB_FLAGS[verb] ?? []), "help"];
  for (const name of a.flags.keys()) {
    if (!allowed.includes(name)) throw new UsageError(`unknown option --${name} for ${verb} (it takes ${allowed.map((f) => `--${f}`).join(", ")})`);
  }
  const extra = a.positional.slice(VERB_POSITIONALS[verb] ?? 0);
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}' for ${verb}`);
}

function parseArgs(argv: string[]): Args {
  const out: Args = { positional: [], flags: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) {
      out.positional.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    let value: string;
    if (eq > 0) value = a.slice(eq + 1);
    else if (BOOLEAN_FLAGS.has(name)) value = "true";
    else {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`--${name} needs a value`);
      value = next;
    }
    out.flags.set(name, [...(out.flags.get(name) ?? []), value]);
  }
  return out;
}

function flag(a: Args, name: string): string | undefined {
  return a.flags.get(name)?.at(-1);
}

function dirOf(a: Args): string {
  return resolve(flag(a, "dir") ?? process.env.LLAMA_STACK_TEST_RECORDINGS_DIR ?? "recordings");
}

/** A verb that reads recordings needs them: a missing dir is an error, not an empty listing. */
function checkReadDir(a: Args): void {
  const dir = dirOf(a);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const from = flag(a, "dir") !== undefined ? "--dir" : process.env.LLAMA_STACK_TEST_RECORDINGS_DIR ? "LLAMA_STACK_TEST_RECORDINGS_DIR" : "the default ./recordings";
    throw new UsageError(`recordings dir ${dir} (from ${from}) does not exist; pass --dir DIR`);
  }
}

function withIndex<T>(dir: string, fn: (idx: RecordingIndex) => T): T {
  const idx = new RecordingIndex(dir);
  try {
    idx.sync();
    return fn(idx);
  } finally {
    idx.close();
  }
}

function ls(a: Args): number {
  const test = flag(a, "test");
  const api = flag(a, "api");
  withIndex(dirOf(a), (idx) => {
    for (const r of idx.all()) {
      if (test && !(r.test_id ?? "").includes(test)) continue;
      if (api && r.folder !== api) continue;
      console.log([r.rel, r.test_id ?? "-", r.endpoint ?? "-", r.model || "-", r.is_streaming ? "stream" : "", r.error ? `UNREADABLE: ${r.error}` : ""].join("\t").trimEnd());
    }
  });
  return 0;
}

function show(a: Args): number {
  const key = a.positional[0];
  if (!key) throw new UsageError("show needs a hash or a file path");
  const dir = dirOf(a);
  const file = key.endsWith(".json") ? resolve(key) : withIndex(dir, (idx) => join(dir, uniqueByPrefix(idx, key, dir).rel));
  process.stdout.write(serializeRecording(readRecording(file)));
  return 0;
}

/** The one recording whose hash starts with `prefix` (as git takes a unique prefix of a commit). */
function uniqueByPrefix(idx: RecordingIndex, prefix: string, dir: string): { rel: string } {
  if (!/^[0-9a-f]{4,64}$/.test(prefix)) throw new UsageError(`'${prefix}' is not a recording hash or a prefix of one (4 to 64 hex digits), nor a .json path`);
  const rows = idx.query<{ rel: string; hash: string }>("SELECT rel, hash FROM files WHERE substr(hash, 1, ?) = ? ORDER BY rel", prefix.length, prefix);
  const hashes = [...new Set(rows.map((r) => r.hash))];
  if (hashes.length === 0) throw new UsageError(`no recording with a hash starting ${prefix} under ${dir}`);
  if (hashes.length > 1) throw new UsageError(`${prefix} is ambiguous: ${hashes.slice(0, 5).join(", ")}${hashes.length > 5 ? ", ..." : ""}; give more digits`);
  return rows[0]!;
}

function stats(a: Args): number {
  withIndex(dirOf(a), (idx) => {
    const q = <T>(sql: string) => idx.query<T>(sql);
    const [t] = q<{ n: number; s: number; e: number; u: number; m: number }>(
      "SELECT COUNT(*) n, SUM(is_streaming) s, SUM(status >= 400) e, SUM(error IS NOT NULL) u, SUM(model_list) m FROM files");
    console.log(`recordings ${t?.n ?? 0} (streaming ${t?.s ?? 0}, errors ${t?.e ?? 0}, model lists ${t?.m ?? 0}, unreadable ${t?.u ?? 0})`);
    console.log("by folder:");
    for (const r of q<{ folder: string; n: number }>("SELECT folder, COUNT(*) n FROM files GROUP BY folder ORDER BY n DESC")) console.log(`  ${r.n}\t${r.folder}`);
    console.log("by endpoint:");
    for (const r of q<{ endpoint: string; n: number }>("SELECT endpoint, COUNT(*) n FROM files GROUP BY endpoint ORDER BY n DESC")) console.log(`  ${r.n}\t${r.endpoint}`);
    console.log(`index: ${idx.path}`);
  });
  return 0;
}

/** Which of `rules` reproduces the file's name, newest first; null when none does. */
function reproducingRules(file: string, hash: string, rules: readonly RecorderRules[]): RecorderRules | null {
  const rec = readRecording(file);
  let unsupported: Error | null = null;
  for (const r of rules) {
    try {
      if (hashOfRecording(rec, r) === hash) return r;
    } catch (e) {
      if (!(e instanceof UnsupportedRecordingKindError)) throw e;
      unsupported = e;
    }
  }
  // A kind none of the rules writes is reported as such, not as a hash mismatch.
  if (unsupported && rules.length === 1) throw unsupported;
  return null;
}

function verify(a: Args): number {
  const dir = dirOf(a);
  const name = flag(a, "recorder") ?? "0.4";
  const rules = name === "any" ? allRecorderRules().reverse() : [recorderRules(name)];
  let ok = 0;
  let bad = 0;
  let unreadable = 0;
  let otherKind = 0;
  const byVersion = new Map<string, number>();
  for (const loc of listRecordingFiles(dir)) {
    try {
      const hit = reproducingRules(join(dir, loc.rel), loc.hash, rules);
      if (hit) {
        ok++;
        byVersion.set(hit.version, (byVersion.get(hit.version) ?? 0) + 1);
      } else {
        bad++;
        console.log(`mismatch ${loc.rel}: no ${name === "any" ? "recorder version's" : `recorder ${rules[0]!.version}`} rules reproduce its name`);
      }
    } catch (e) {
      if (e instanceof UnsupportedRecordingKindError) otherKind++;
      else unreadable++;
      console.log(`${e instanceof UnsupportedRecordingKindError ? "other kind" : "unreadable"} ${loc.rel}: ${(e as Error).message}`);
    }
  }
  const versions = name === "any" ? ` (by the newest rules reproducing each: ${rules.filter((r) => byVersion.has(r.version)).map((r) => `${r.version} ${byVersion.get(r.version)}`).join(", ")})` : "";
  console.log(`verified ${ok}, mismatched ${bad}, unreadable ${unreadable}${otherKind ? `, of a kind this recorder never wrote ${otherKind}` : ""}; recorder ${name === "any" ? "any" : rules[0]!.version}${versions}`);
  return bad + unreadable + otherKind > 0 ? 1 : 0;
}

function prune(a: Args): number {
  const src = flag(a, "tests");
  if (!src) throw new UsageError("prune needs --tests FILE (one collected test id per line) or --tests - for stdin, e.g. pnpm suite --list-test-ids | pnpm recordings prune --tests -");
  const keep = new Set(readFileSync(src === "-" ? 0 : src, "utf8").split("\n").map((l) => l.trim()).filter(Boolean));
  // An empty list usually means the listing failed; it would mark every recording as stale.
  if (keep.size === 0) throw new UsageError(`no test ids read from ${src === "-" ? "stdin" : src}: check that the listing command succeeded`);
  const write = flag(a, "write") === "true";
  const dir = dirOf(a);
  let kept = 0;
  let gone = 0;
  withIndex(dir, (idx) => {
    for (const r of idx.all()) {
      // Model lists and session-level recordings (no test id) are shared by every test: never pruned.
      if (r.model_list || r.test_id === null || keep.has(r.test_id)) {
        kept++;
        continue;
      }
      gone++;
      console.log(`${write ? "removed" : "would remove"} ${r.rel}\t${r.test_id}`);
      if (write) rmSync(join(dir, r.rel), { force: true });
    }
    if (write) idx.sync();
  });
  console.log(`kept ${kept}, ${write ? "removed" : "would remove"} ${gone}${!write && gone > 0 ? " (dry run: pass --write to delete)" : ""}`);
  return 0;
}

function unrequested(a: Args): number {
  const traffic = a.flags.get("traffic") ?? [];
  const api = flag(a, "api");
  if (!traffic.length || !api) throw new UsageError("unrequested needs --traffic LOG (once per package's traffic log) and --api FOLDER[,FOLDER] (the API folders the run covered)");
  const dir = dirOf(a);
  const keepFile = flag(a, "keep");
  let keep = new Set<string>();
  try {
    if (keepFile) keep = readKeepList(keepFile);
    const shown = (rel: string) => relative(process.cwd(), join(dir, rel));
    const missing = missingKeepEntries(dir, keep);
    for (const rel of missing) console.log(`${keepFile} lists ${rel}, which is not in ${shown("")}: remove the line`);
    const folders = api.split(",").filter(Boolean);
    const found = unrequestedRecordings({ dir, trafficLogs: traffic, folders, keep });
    const where = keepFile ? `, or list it in ${keepFile} if another stack requests it` : "";
    for (const f of found) console.log(`${shown(f.rel)}: no request of the run names it (test ${f.testId ?? "none"}); delete it${where}`);
    console.log(`unrequested: ${found.length} in ${folders.join(", ")}${keep.size ? ` (${keep.size} kept as other stacks' own)` : ""}`);
    return found.length + missing.length > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof UnrequestedInputError) throw new UsageError(e.message);
    throw e;
  }
}

function normalize(a: Args): number {
  const dir = dirOf(a);
  let changed = 0;
  let total = 0;
  for (const loc of listRecordingFiles(dir)) {
    total++;
    const file = join(dir, loc.rel);
    const before = readFileSync(file, "utf8");
    const after = serializeRecording(normalizeRecording(readRecording(file), loc.hash));
    if (after !== before) {
      writeFileAtomic(file, after);
      changed++;
    }
  }
  console.log(`normalized ${changed} of ${total} recording(s)`);
  return 0;
}

async function proxy(a: Args): Promise<number> {
  const routes = new Map<string, ProviderRoute>(Object.entries(DEFAULT_PROVIDER_ROUTES).map(([k, v]) => [k, { ...v }]));
  for (const spec of a.flags.get("route") ?? []) {
    const r = parseRouteSpec(spec);
    routes.set(r.name, r);
  }
  const mode = parseInferenceMode(flag(a, "mode") ?? process.env.LLAMA_STACK_TEST_INFERENCE_MODE);
  const port = flag(a, "port");
  const p = await startRecordingProxy({ mode, recordingsDir: dirOf(a), providers: [...routes.values()], port: port ? Number(port) : undefined, host: flag(a, "host") });
  console.log(`recording proxy listening on ${p.url} (mode ${mode}, dir ${dirOf(a)}, routes ${[...routes.keys()].join(", ")})`);
  // Also when orphaned: `pnpm recordings proxy` getting SIGTERM does not pass it on.
  await new Promise<void>((done) => onStopRequest(() => void p.close().then(done)));
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  const a = parseArgs(rest);
  if (verb && verb in VERB_FLAGS) {
    checkFlags(verb, a);
    if (flag(a, "help") === "true") {
      console.log(USAGE);
      return 0;
    }
    if (READING_VERBS.has(verb)) checkReadDir(a);
  }
  switch (verb) {
    case "ls": return ls(a);
    case "show": return show(a);
    case "stats": return stats(a);
    case "verify": return verify(a);
    case "prune": return prune(a);
    case "unrequested": return unrequested(a);
    case "normalize": return normalize(a);
    case "proxy": return proxy(a);
    case "help": case "--help": case "-h": console.log(USAGE); return 0;
    case undefined: throw new UsageError("missing verb (ls, show, stats, verify, prune, unrequested, normalize or proxy)");
    default: throw new UsageError(`unknown verb "${verb}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    console.error(e instanceof UsageError ? `recordings: ${e.message} (see recordings --help)` : `recordings: ${(e as Error).message}`);
    process.exitCode = 2;
  },
);
