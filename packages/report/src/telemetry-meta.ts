import type { TelemetryFinding, TraceView } from "./model.js";

import type {} from "vitest";

declare module "vitest" {
  interface TaskMeta {
    /** Departures from the OpenTelemetry conventions a telemetry test found; read by the conformance reporter. */
    telemetryFindings?: TelemetryFinding[];
    /** Traces a telemetry test drove, rendered as timelines in the report. */
    traces?: TraceView[];
  }
}

/** The part of vitest's task (`ctx.task`) these channels use. */
export interface TelemetryTask {
  meta: { telemetryFindings?: TelemetryFinding[]; traces?: TraceView[] };
}

export function recordTelemetryFinding(task: TelemetryTask, finding: TelemetryFinding): void {
  const list = (task.meta.telemetryFindings ??= []);
  if (!list.some((f) => f.span === finding.span && f.convention === finding.convention)) list.push(finding);
}

export function attachTrace(task: TelemetryTask, trace: TraceView): void {
  (task.meta.traces ??= []).push(trace);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Reads the channels defensively: meta crosses a process boundary and may hold anything. */
export function readTelemetryMeta(meta: unknown): { findings?: TelemetryFinding[]; traces?: TraceView[] } {
  if (!isObject(meta)) return {};
  const findings = Array.isArray(meta.telemetryFindings)
    ? meta.telemetryFindings.filter(
        (f): f is TelemetryFinding => isObject(f) && typeof f.span === "string" && typeof f.convention === "string" && typeof f.observed === "string",
      )
    : [];
  const traces = Array.isArray(meta.traces)
    ? meta.traces.filter((t): t is TraceView => isObject(t) && typeof t.traceId === "string" && Array.isArray(t.spans))
    : [];
  return { ...(findings.length ? { findings } : {}), ...(traces.length ? { traces } : {}) };
}
