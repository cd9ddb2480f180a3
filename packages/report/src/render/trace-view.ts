import type { TelemetryFinding, TestRecord, TraceSpanView, TraceView } from "../model.js";
import { escapeXml as esc } from "./escape.js";

export const TRACE_STYLE = `
section.trace { margin: 1rem 0 1.5rem; }
section.trace h3 { font-size: 1rem; margin: .6rem 0 .3rem; }
.timeline { border: 1px solid #d1d9e0; border-radius: .3rem; font-size: 12px; }
.span-row { display: grid; grid-template-columns: minmax(16rem, 34%) 1fr; border-top: 1px solid #eef1f4; }
.span-row:first-child { border-top: 0; }
.span-row > details { padding: .15rem .4rem; overflow-wrap: anywhere; }
.span-row > details > summary { cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.span-row .track { position: relative; min-height: 1.3rem; }
.span-row .track > span { position: absolute; top: .3rem; height: .7rem; border-radius: .15rem; min-width: 2px; }
.kind-server > span { background: #0969da; } .kind-client > span { background: #8250df; } .kind-internal > span { background: #1a7f37; }
.kind-unspecified > span, .kind-producer > span, .kind-consumer > span { background: #6e7781; }
.status-error > span { background: #d1242f !important; }
.span-row dl { margin: .2rem 0 .3rem; display: grid; grid-template-columns: max-content 1fr; gap: 0 .6rem; }
.span-row dt { color: #59636e; } .span-row dd { margin: 0; font-family: ui-monospace, monospace; }
ul.findings { margin: .3rem 0; }
`;

/** Spans in tree order (parents before children, siblings by start), each with its depth. */
function treeOrder(spans: readonly TraceSpanView[]): { span: TraceSpanView; depth: number }[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, TraceSpanView[]>();
  for (const span of spans) {
    const parent = ids.has(span.parentSpanId) ? span.parentSpanId : "";
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const out: { span: TraceSpanView; depth: number }[] = [];
  const visit = (parent: string, depth: number) => {
    for (const span of (children.get(parent) ?? []).sort((a, b) => a.startUs - b.startUs)) {
      out.push({ span, depth });
      visit(span.spanId, depth + 1);
    }
  };
  visit("", 0);
  return out;
}

function formatUs(us: number): string {
  return us >= 1000 ? `${(us / 1000).toFixed(us >= 100_000 ? 0 : 1)} ms` : `${Math.round(us)} µs`;
}

function spanRow(span: TraceSpanView, depth: number, totalUs: number): string {
  const left = totalUs > 0 ? (span.startUs / totalUs) * 100 : 0;
  const width = totalUs > 0 ? Math.max(0.2, (span.durationUs / totalUs) * 100) : 100;
  const attributes = Object.entries(span.attributes)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join("");
  return (
    `<div class="span-row kind-${esc(span.kind)} status-${esc(span.status)}">` +
    `<details><summary style="padding-left:${depth * 0.9}rem">${esc(span.name)} <small>${esc(span.kind)} · ${esc(formatUs(span.durationUs))}</small></summary>` +
    `<dl>${attributes || "<dt>no attributes</dt><dd></dd>"}</dl></details>` +
    `<div class="track kind-${esc(span.kind)} status-${esc(span.status)}"><span style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%" title="${esc(span.name)}"></span></div>` +
    `</div>`
  );
}

function traceSection(trace: TraceView): string {
  const totalUs = Math.max(0, ...trace.spans.map((s) => s.startUs + s.durationUs));
  const rows = treeOrder(trace.spans).map(({ span, depth }) => spanRow(span, depth, totalUs));
  return `<h3>${esc(trace.title)} <small><code>${esc(trace.traceId)}</code> · ${trace.spans.length} spans · ${esc(formatUs(totalUs))}</small></h3><div class="timeline">${rows.join("")}</div>`;
}

function findingsList(findings: readonly TelemetryFinding[]): string {
  return `<ul class="findings">${findings
    .map((f) => `<li><code>${esc(f.span)}</code>: convention <code>${esc(f.convention)}</code>; emits ${esc(f.observed)}</li>`)
    .join("")}</ul>`;
}

/** The report's "Traces" part: per telemetry test, its findings and each trace as a timeline. */
export function renderTraceSections(tests: readonly TestRecord[]): string {
  const withTelemetry = tests.filter((t) => t.traces?.length || t.findings?.length);
  if (!withTelemetry.length) return "";
  const sections = withTelemetry.map(
    (t) =>
      `<section class="trace"><h3><code>${esc(t.id)}</code> · ${esc(t.status)}</h3>` +
      (t.findings?.length ? `<p>Departures from the OpenTelemetry conventions (findings, not failures):</p>${findingsList(t.findings)}` : "") +
      (t.traces ?? []).map(traceSection).join("") +
      `</section>`,
  );
  return `<h2>Traces</h2>\n<p class="meta">Each trace the telemetry tests drove, as the stack exported it: span tree on a timeline (blue server, purple client, green internal); open a span for its attributes.</p>\n${sections.join("\n")}`;
}
