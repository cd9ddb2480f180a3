/**
 * Hits and misses of a real server's builtin recorder, read from its record log (LLAMA_STACK_LOG_FILE
 * with LLAMA_STACK_TEST_DEBUG=1) and turned into the proxy's traffic lines, so a real-server replay run
 * gets the same fidelity report as an embedded one.
 *
 * The recorder logs each provider request as consecutive lines with no await between them (entering the
 * method, hash computation, path resolution, lookup, found or not), so one request's lines never
 * interleave with another's even when the tests run in parallel.
 */
import fs from "node:fs";
import path from "node:path";
import type { TrafficEvent } from "@llama-stack-tests/recording";

/** Logger name of Llama Stack's recorder (llama_stack/testing/api_recorder.py). */
const RECORDER_LOGGER = "llama_stack.testing.api_recorder";
/** "2026-12-06 02:54:00,900 llama_stack.testing.api_recorder:475 testing:  Looking up recording:" */
const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (\S+):\d+ \S+: (.*)$/;
/** Endpoint of tool-runtime lookups: the recorder logs no provider or tool name for them. */
export const TOOL_ENDPOINT = "/__tools";

interface Pending {
  testId: string | null;
  /** Provider endpoint as recordings name it (/v1/chat/completions), from "Entering inference method". */
  endpoint?: string;
  /** URL path the hash covers (/v1/v1/chat/completions), from "Hash computation". */
  hashedPath?: string;
  method?: string;
  model?: string;
  hash?: string;
  primaryPath?: string;
  fallbackPath?: string;
  /** Inside a "Hash computation" block (its Endpoint line is the hashed URL path). */
  inHashBlock: boolean;
}

export interface RecordLogOptions {
  /** Maps a path the recorder read to the recording's path relative to the recordings dir. */
  recordingRel: (recorderPath: string) => string;
}

function value(message: string, key: string): string | undefined {
  const prefix = `${key}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : undefined;
}

/** Traffic events of every recording lookup in the log text, in log order; model-list merges are left out. */
export function parseRecordLog(text: string, options: RecordLogOptions): TrafficEvent[] {
  const events: TrafficEvent[] = [];
  let p: Pending | null = null;
  const emit = (outcome: "hit" | "miss", file?: string) => {
    if (!p?.hash) return;
    events.push({
      test_id: p.testId,
      outcome,
      hash: p.hash,
      method: p.method ?? "POST",
      endpoint: p.endpoint ?? p.hashedPath ?? TOOL_ENDPOINT,
      model: p.model && p.model !== "N/A" ? p.model : "",
      ...(file ? { recording: options.recordingRel(file) } : {}),
      ...(outcome === "miss" ? { closest: null } : {}),
      source: "server-record-log",
    });
    p = null;
  };
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (!m || m[1] !== RECORDER_LOGGER) continue;
    const msg = m[2]!.trim();
    if (msg === "Entering inference method:") {
      p = { testId: null, inHashBlock: false };
      continue;
    }
    if (msg === "Hash computation:") {
      // Inference requests log "Entering" first; anything else (model lists at startup) starts afresh.
      if (!p || p.hash !== undefined || p.endpoint === undefined) p = { testId: null, inHashBlock: true };
      p.inHashBlock = true;
      continue;
    }
    if (msg.startsWith("Path resolution") || msg === "Looking up recording:") {
      // Tool-runtime lookups start here, with no inference lines before them.
      p ??= { testId: null, inHashBlock: false };
      p.inHashBlock = false;
      continue;
    }
    if (!p) continue;
    const testId = value(msg, "Test ID") ?? value(msg, "Test context");
    if (testId !== undefined) {
      p.testId = testId === "None" ? null : testId;
      continue;
    }
    const endpoint = value(msg, "Endpoint");
    if (endpoint !== undefined) {
      if (p.inHashBlock) p.hashedPath = endpoint;
      else p.endpoint ??= endpoint;
      continue;
    }
    p.method ??= value(msg, "Method");
    p.model ??= value(msg, "Model");
    p.hash ??= value(msg, "Computed hash");
    const looked = value(msg, "Request hash");
    // Another hash than the pending request's: a tool lookup after a model-list merge (which looks nothing up).
    if (looked !== undefined && p.hash !== looked) p = { testId: p.testId, inHashBlock: false, hash: looked };
    p.primaryPath ??= value(msg, "Primary path");
    p.fallbackPath ??= value(msg, "Fallback path");
    if (msg === "Found in primary location") emit("hit", p.primaryPath);
    else if (msg === "Found in fallback location") emit("hit", p.fallbackPath);
    else if (msg === "Recording not found in either location") emit("miss");
  }
  return events;
}

/** API folder of an upstream test id (tests/integration/<api>/test_x.py::...), or null. */
export function apiOfTestId(testId: string | null): string | null {
  return /^tests\/integration\/([^/]+)\//.exec(testId ?? "")?.[1] ?? null;
}

/**
 * Resolves what the recorder read (through the links pythonRecordingDir made) to a path relative to
 * the recordings dir, as the fidelity catalog names recordings.
 */
export function recordingRelTo(recordingsDir: string): (recorderPath: string) => string {
  const root = fs.realpathSync(recordingsDir);
  return (recorderPath) => {
    let real: string;
    try {
      real = fs.realpathSync(recorderPath);
    } catch {
      return recorderPath; // gone since the run: keep what the log says
    }
    return path.relative(root, real).split(path.sep).join("/");
  };
}

export interface ServerTrafficInput {
  /** The record log and the byte offset the run started at (a reused server's log holds earlier runs). */
  logPath: string;
  fromOffset: number;
  recordingsDir: string;
  reportsDir: string;
  /** API packages of the suite: each gets reports/<api>/<trafficLogName>, empty when it made no lookup. */
  apis: readonly string[];
  trafficLogName: string;
}

export interface ServerTrafficSummary {
  lookups: number;
  /** Lookups with no test id, or one of an API outside the suite (session setup, health probes). */
  unattributed: number;
}

/** Writes the run's lookups, by the API of their test id, as each API's traffic log. */
export function writeServerTraffic(input: ServerTrafficInput): ServerTrafficSummary {
  let text = "";
  if (fs.existsSync(input.logPath)) {
    const all = fs.readFileSync(input.logPath);
    text = all.subarray(Math.min(input.fromOffset, all.length)).toString("utf8");
  }
  const events = parseRecordLog(text, { recordingRel: recordingRelTo(input.recordingsDir) });
  const byApi = new Map<string, TrafficEvent[]>(input.apis.map((api) => [api, []]));
  let unattributed = 0;
  for (const e of events) {
    const list = byApi.get(apiOfTestId(e.test_id) ?? "");
    if (list) list.push(e);
    else unattributed++;
  }
  for (const [api, list] of byApi) {
    const file = path.join(input.reportsDir, api, input.trafficLogName);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, list.map((e) => `${JSON.stringify(e)}\n`).join(""));
  }
  return { lookups: events.length, unattributed };
}
