/** Reading and atomically writing recording files. */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, type Dirent } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { RecordingFileError } from "./errors.js";
import { hashFromFileName, type RecordingFile } from "./format.js";
import { isJsonObject, parseJson, pyDumps, type JsonValue } from "./json.js";

/** Parses a recording, applying its id_normalization_mapping as upstream's reader does. */
export function parseRecording(text: string, file: string): RecordingFile {
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch (e) {
    throw new RecordingFileError(file, `not valid JSON (${(e as Error).message})`);
  }
  if (!isJsonObject(value) || !isJsonObject(value.request) || !isJsonObject(value.response) || !("body" in value.response)) {
    throw new RecordingFileError(file, "missing request or response.body");
  }
  const mapping = value.id_normalization_mapping;
  if (isJsonObject(mapping) && Object.keys(mapping).length > 0) {
    let t = text;
    for (const [normalized, original] of Object.entries(mapping)) if (typeof original === "string") t = t.split(original).join(normalized);
    const remapped = parseJson(t) as Record<string, JsonValue>;
    remapped.id_normalization_mapping = {};
    return remapped as unknown as RecordingFile;
  }
  return value as unknown as RecordingFile;
}

export function readRecording(file: string): RecordingFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new RecordingFileError(file, `cannot be read (${(e as Error).message})`);
  }
  return parseRecording(text, file);
}

/** Same layout as Python's json.dump(indent=2) plus a trailing newline. */
export function serializeRecording(rec: RecordingFile): string {
  return pyDumps(rec as unknown as JsonValue, { indent: 2 }) + "\n";
}

/** Temp file in the same directory, then rename: readers never see a partial file. */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export interface RecordingLocation {
  /** Path relative to the recordings dir, "/"-separated. */
  rel: string;
  hash: string;
  /** API folder: the directory, without a trailing "recordings" (upstream layout). */
  folder: string;
}

/** Folder of a relative path: <api>/<hash>.json and <api>/recordings/<hash>.json both give <api>. */
export function folderOf(rel: string): string {
  const parts = rel.split("/").slice(0, -1);
  if (parts.at(-1) === "recordings") parts.pop();
  return parts.length > 0 ? parts.join("/") : "common";
}

/** Every recording file under dir (dot-files and temp files excluded). */
export function listRecordingFiles(dir: string): RecordingLocation[] {
  const out: RecordingLocation[] = [];
  const walk = (d: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const hash = hashFromFileName(e.name);
        if (!hash) continue;
        const rel = relative(dir, p).split(sep).join("/");
        out.push({ rel, hash, folder: folderOf(rel) });
      }
    }
  };
  walk(dir);
  return out;
}
