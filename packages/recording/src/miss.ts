/** The replay-miss report: what was asked, the closest recording of the same test, how to record it. */
import { join } from "node:path";
import { readRecording } from "./files.js";
import { apiFolderForTestId, isToolRequest } from "./format.js";
import { isJsonObject, JsonNumber, pyDumps, RawNumber, type JsonValue } from "./json.js";
import type { RecordingStore } from "./store.js";

export interface MissInfo {
  hash: string;
  testId: string | null;
  method: string;
  endpoint: string;
  model: string;
  body: JsonValue;
}

const MAX_DIFF_LINES = 20;
const MAX_CANDIDATES = 50;

function show(v: JsonValue | undefined): string {
  if (v === undefined) return "(absent)";
  const s = pyDumps(v, { compact: true });
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

function scalarText(v: JsonValue | undefined): string | undefined {
  return v instanceof JsonNumber || v instanceof RawNumber ? v.text : typeof v === "object" && v !== null ? undefined : JSON.stringify(v);
}

/** Lines "path: recorded → requested" for every differing leaf. */
export function diffBodies(recorded: JsonValue | undefined, requested: JsonValue | undefined, path = "body"): string[] {
  if (isJsonObject(recorded) && isJsonObject(requested)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(requested)])].sort();
    return keys.flatMap((k) => diffBodies(recorded[k], requested[k], `${path}.${k}`));
  }
  if (Array.isArray(recorded) && Array.isArray(requested)) {
    const n = Math.max(recorded.length, requested.length);
    return Array.from({ length: n }, (_, i) => diffBodies(recorded[i], requested[i], `${path}[${i}]`)).flat();
  }
  const a = scalarText(recorded);
  const b = scalarText(requested);
  if (a !== undefined && a === b) return [];
  return [`${path}: recorded ${show(recorded)} → requested ${show(requested)}`];
}

/** Shell command that records what is missing for this test. */
export function recordCommand(testId: string | null): string {
  const env = "LLAMA_STACK_TEST_INFERENCE_MODE=record-if-missing";
  if (!testId) return `${env} pnpm turbo run test`;
  const api = apiFolderForTestId(testId).split("/")[0];
  const name = (testId.split("::").at(-1) ?? testId).replace(/\[.*$/, "");
  return `${env} pnpm turbo run test --filter=${api} -- -t "${name}"`;
}

/** The closest recording of the same test (fewest differing body leaves, same endpoint first). */
export function closestRecording(store: RecordingStore, miss: MissInfo): { rel: string; diff: string[] } | null {
  if (!miss.testId) return null;
  let best: { rel: string; diff: string[]; score: number } | null = null;
  for (const row of store.index.forTest(miss.testId).slice(0, MAX_CANDIDATES)) {
    if (row.error) continue;
    let rec;
    try {
      rec = readRecording(join(store.dir, row.rel));
    } catch {
      continue;
    }
    if (isToolRequest(rec.request)) continue;
    const diff = diffBodies(rec.request.body, miss.body);
    const score = diff.length + (rec.request.endpoint === miss.endpoint ? 0 : 1000);
    if (!best || score < best.score) best = { rel: row.rel, diff, score };
  }
  return best && { rel: best.rel, diff: best.diff };
}

export function missMessage(store: RecordingStore, miss: MissInfo): { message: string; closest: { file: string; diff: string[] } | null; command: string } {
  const closest = closestRecording(store, miss);
  const command = recordCommand(miss.testId);
  const lines = [
    `Recording not found for request hash ${miss.hash}`,
    `  test id:  ${miss.testId ?? "(none: session-level request)"}`,
    `  request:  ${miss.method} ${miss.endpoint}  model: ${miss.model || "(none)"}`,
    `  searched: ${store.dir} (${apiFolderForTestId(miss.testId)}/, common/)`,
  ];
  if (closest) {
    lines.push(`  closest recording for this test: ${closest.rel}`);
    const shown = closest.diff.slice(0, MAX_DIFF_LINES);
    lines.push(...shown.map((l) => `    ${l}`));
    if (closest.diff.length > shown.length) lines.push(`    ... ${closest.diff.length - shown.length} more differences`);
  } else {
    lines.push("  no recordings exist for this test id");
  }
  lines.push(`  to record it: ${command}`);
  return { message: lines.join("\n"), closest: closest && { file: closest.rel, diff: closest.diff }, command };
}
