import type { TestStatus } from "@llama-stack-tests/report";
import { ParityError } from "./errors.js";
import { DISAGREEMENT_CLASSES, type Classification, type Classifications, type ParityReport, type ParityRow, type RunSnapshot } from "./model.js";

const zero = (): Record<TestStatus, number> => ({ passed: 0, failed: 0, skipped: 0 });

/** The upstream function of a test id: the id without its [params]. */
function functionOf(id: string): string {
  const bracket = id.indexOf("[");
  return bracket === -1 ? id : id.slice(0, bracket);
}

/** Checks the committed classifications: every class must be one of DISAGREEMENT_CLASSES, with evidence. */
export function validateClassifications(value: unknown, file: string): Classifications {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ParityError(`${file}: expected an object of test id -> {class, evidence}`);
  for (const [id, c] of Object.entries(value as Record<string, Partial<Classification>>)) {
    if (!c || !(DISAGREEMENT_CLASSES as readonly string[]).includes(c.class ?? "")) {
      throw new ParityError(`${file}: '${id}' has class '${String(c?.class)}'; use one of: ${DISAGREEMENT_CLASSES.join(", ")}`);
    }
    if (typeof c.evidence !== "string" || c.evidence.trim() === "") throw new ParityError(`${file}: '${id}' needs its evidence`);
  }
  return value as Classifications;
}

/** Per test, the outcome on each stack and whether they agree; disagreements carry their classification. */
export function compareRuns(left: RunSnapshot, right: RunSnapshot, classifications: Classifications = {}): ParityReport {
  if (left.setup !== right.setup || left.suite !== right.suite) {
    throw new ParityError(`cannot compare ${left.suite}/${left.setup} with ${right.suite}/${right.setup}: run both stacks with the same suite and setup`);
  }
  const ids = [...new Set([...Object.keys(left.outcomes), ...Object.keys(right.outcomes)])].sort();
  const rows: ParityRow[] = [];
  const totals: ParityReport["totals"] = { tests: ids.length, agree: 0, disagree: 0, unclassified: 0, byClass: {}, left: zero(), right: zero() };
  for (const id of ids) {
    const l = left.outcomes[id];
    const r = right.outcomes[id];
    if (l) totals.left[l.status]++;
    if (r) totals.right[r.status]++;
    const agree = !!l && !!r && l.status === r.status;
    const row: ParityRow = { id, api: left.apis[id] ?? right.apis[id] ?? "?", agree, ...(l ? { left: l } : {}), ...(r ? { right: r } : {}) };
    if (agree) totals.agree++;
    else {
      totals.disagree++;
      const c = classifications[id] ?? classifications[functionOf(id)];
      if (c) {
        row.classification = c;
        totals.byClass[c.class] = (totals.byClass[c.class] ?? 0) + 1;
      } else totals.unclassified++;
    }
    rows.push(row);
  }
  const side = (s: RunSnapshot) => ({ stack: s.stack, stackConfig: s.stackConfig, ...(s.wallSeconds !== undefined ? { wallSeconds: s.wallSeconds } : {}) });
  return { setup: left.setup, suite: left.suite, left: side(left), right: side(right), totals, rows };
}
