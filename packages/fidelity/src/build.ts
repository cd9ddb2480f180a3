/** Builds the fidelity report from a finished replay run: traffic logs, conformance reports, the recordings tree. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readTrafficLog, type TrafficEvent } from "@llama-stack-tests/recording";
import type { ApiReport, TestStatus } from "@llama-stack-tests/report";
import { catalogRecordings, type AvailableRecording, type RecordingCatalog, type RunScope } from "./available.js";
import { classifyMiss } from "./causes.js";
import { failureCause, staleGaps } from "./gaps.js";
import {
  FIDELITY_SCHEMA_VERSION,
  type ApiFidelity,
  type FailedTest,
  type FidelityReport,
  type KnownGap,
  type MissEntry,
  type UnhitGroup,
  type UnhitReason,
} from "./model.js";

export interface FidelityInput {
  setup: string;
  suite: string;
  /** Names the stack that sent the requests; see FidelityReport.stack. */
  stack: string;
  /** API packages of the suite (each has reports/<api>/). */
  apis: readonly string[];
  recordingsDir: string;
  reportsDir: string;
  scope: RunScope;
  /** The pair's known gaps: failures they list are marked known, and gaps that no longer fail are reported. */
  knownGaps?: readonly KnownGap[];
  now?: Date;
}

/** reports/<api>/provider-traffic.ndjson, as the stack's globalSetup names it. */
export const TRAFFIC_LOG_NAME = "provider-traffic.ndjson";

interface TestOutcome {
  status: TestStatus;
  error?: string;
}

function readOutcomes(reportsDir: string, api: string): Map<string, TestOutcome> {
  const file = join(reportsDir, api, "conformance.json");
  if (!existsSync(file)) return new Map();
  const report = JSON.parse(readFileSync(file, "utf8")) as ApiReport;
  return new Map(report.tests.map((t) => [t.id, { status: t.status, ...(t.error ? { error: t.error } : {}) }]));
}

/** The first line of an error message, cut to a readable length. */
function firstLine(message: string | undefined): string {
  const line = (message ?? "").split("\n", 1)[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function missEntry(e: TrafficEvent, catalog: RecordingCatalog): MissEntry {
  const closest = e.closest ?? null;
  const cause = classifyMiss({
    endpoint: e.endpoint,
    closestEndpoint: closest ? (catalog.endpointOf.get(closest.file) ?? null) : null,
    diff: closest?.diff ?? [],
    testRecorded: e.test_id !== null && catalog.recordedTests.has(e.test_id),
    bodyLogged: e.source !== "server-record-log",
  });
  return { testId: e.test_id, endpoint: e.endpoint, model: e.model, hash: e.hash, cause, closest };
}

function unhitReason(r: AvailableRecording, statuses: Map<string, TestStatus>, hitEndpoints: Set<string>): UnhitReason {
  const status = r.testId === null ? undefined : statuses.get(r.testId);
  if (status === undefined) return "test-not-in-run";
  if (hitEndpoints.has(`${r.testId} ${r.endpoint}`)) return "superseded";
  return status === "skipped" ? "test-skipped" : "test-ran-without-it";
}

function unhitGroups(unhit: AvailableRecording[], statuses: Map<string, TestStatus>, hitEndpoints: Set<string>): UnhitGroup[] {
  const groups = new Map<UnhitReason, { count: number; tests: Set<string | null> }>();
  for (const r of unhit) {
    const reason = unhitReason(r, statuses, hitEndpoints);
    const g = groups.get(reason) ?? { count: 0, tests: new Set() };
    g.count++;
    g.tests.add(r.testId);
    groups.set(reason, g);
  }
  return [...groups].map(([reason, g]) => ({ reason, count: g.count, tests: [...g.tests].sort() }));
}

interface RunTotals {
  hitting: Set<string>;
  passing: Set<string>;
  failures: FailedTest[];
  statuses: Map<string, TestStatus>;
}

function apiFidelity(api: string, input: FidelityInput, catalog: RecordingCatalog, run: RunTotals): ApiFidelity {
  const events = readTrafficLog(join(input.reportsDir, api, TRAFFIC_LOG_NAME));
  const outcomes = readOutcomes(input.reportsDir, api);
  const statuses = new Map([...outcomes].map(([id, o]) => [id, o.status]));
  for (const [id, status] of statuses) run.statuses.set(id, status);
  const misses = events.filter((e) => e.outcome === "miss").map((e) => missEntry(e, catalog));
  const available = catalog.available.get(api) ?? [];
  const hits = events.filter((e) => e.outcome === "hit");
  const hitFiles = new Set(hits.flatMap((e) => (e.recording ? e.recording.split(",") : [])));
  const hitEndpoints = new Set(hits.map((e) => `${e.test_id} ${e.endpoint}`));
  const perTest = new Map<string, { hits: number; misses: number }>();
  for (const e of events) {
    if (e.test_id === null || (e.outcome !== "hit" && e.outcome !== "miss")) continue;
    const t = perTest.get(e.test_id) ?? { hits: 0, misses: 0 };
    if (e.outcome === "hit") t.hits++;
    else t.misses++;
    perTest.set(e.test_id, t);
  }
  let passed = 0;
  let failed = 0;
  let testsWithMisses = 0;
  for (const [id, t] of perTest) {
    if (t.misses > 0) {
      testsWithMisses++;
      continue;
    }
    run.hitting.add(id);
    const status = statuses.get(id);
    if (status === "passed") {
      passed++;
      run.passing.add(id);
    } else if (status === "failed") failed++;
  }
  const known = new Map((input.knownGaps ?? []).map((g) => [g.test, g.cause]));
  for (const [id, o] of outcomes) {
    if (o.status !== "failed") continue;
    const cause = failureCause(misses.filter((m) => m.testId === id).map((m) => m.cause), perTest.has(id));
    run.failures.push({ test: id, api, cause, error: firstLine(o.error), known: known.get(id) === cause });
  }
  return {
    api,
    available: available.length,
    hit: available.filter((r) => hitFiles.has(r.rel)).length,
    passed,
    failed,
    testsWithMisses,
    misses,
    unhit: unhitGroups(available.filter((r) => !hitFiles.has(r.rel)), statuses, hitEndpoints),
  };
}

export function buildFidelityReport(input: FidelityInput): FidelityReport {
  const catalog = catalogRecordings(input.recordingsDir, input.scope);
  const run: RunTotals = { hitting: new Set(), passing: new Set(), failures: [], statuses: new Map() };
  const apis = [...input.apis].sort().map((api) => apiFidelity(api, input, catalog, run));
  const sum = (k: "available" | "hit" | "passed" | "failed" | "testsWithMisses") => apis.reduce((n, a) => n + a[k], 0);
  return {
    schemaVersion: FIDELITY_SCHEMA_VERSION,
    generatedAt: (input.now ?? new Date()).toISOString(),
    setup: input.setup,
    suite: input.suite,
    stack: input.stack,
    recordingsDir: input.recordingsDir,
    apis,
    totals: { available: sum("available"), hit: sum("hit"), passed: sum("passed"), failed: sum("failed"), testsWithMisses: sum("testsWithMisses") },
    hittingTests: [...run.hitting].sort(),
    passingTests: [...run.passing].sort(),
    failures: run.failures.sort((a, b) => a.test.localeCompare(b.test)),
    staleGaps: input.knownGaps ? staleGaps(input.knownGaps, run.failures, run.statuses) : [],
  };
}
