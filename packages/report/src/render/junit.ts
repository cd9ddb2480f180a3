import type { ApiReport, TestRecord } from "../model.js";
import { escapeXml as esc } from "./escape.js";
import { problemLines } from "./format.js";

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(t: TestRecord): string {
  const open = `    <testcase classname="${esc(t.file)}" name="${esc(t.id)}" time="${seconds(t.durationMs)}"`;
  const inner: string[] = [];
  if (t.skippedAssertions.length) {
    inner.push("      <properties>");
    for (const a of t.skippedAssertions) inner.push(`        <property name="skipped-assertion" value="${esc(`${a.capability}: ${a.reason}`)}"/>`);
    inner.push("      </properties>");
  }
  if (t.status === "failed") inner.push(`      <failure message="${esc(t.error ?? "")}" type="AssertionError">${esc(t.error ?? "")}</failure>`);
  if (t.status === "skipped") inner.push(`      <skipped message="${esc(t.skipReason ?? "")}"/>`);
  return inner.length ? `${open}>\n${inner.join("\n")}\n    </testcase>` : `${open}/>`;
}

/**
 * JUnit XML for CI, written from the same records as the other formats (so the
 * skip reasons and skipped assertions match), one <testsuite> per test file.
 */
export function renderJunit(report: ApiReport): string {
  const byFile = new Map<string, TestRecord[]>();
  for (const t of report.tests) byFile.set(t.file, [...(byFile.get(t.file) ?? []), t]);
  for (const e of report.fileErrors) if (!byFile.has(e.file)) byFile.set(e.file, []);
  const s = report.summary;
  // A run that could not test is one erroring suite, never an empty green file.
  const problems = problemLines(report).map(
    (p) => `  <testsuite name="${esc(report.api)} run" timestamp="${esc(report.generatedAt)}" tests="0" failures="0" errors="1" skipped="0" time="0">\n` +
      `    <system-err>${esc(p)}</system-err>\n  </testsuite>`,
  );
  const suites = [...byFile].map(([file, tests]) => {
    const errors = report.fileErrors.filter((e) => e.file === file);
    const attrs =
      `name="${esc(file)}" timestamp="${esc(report.generatedAt)}" tests="${tests.length}" ` +
      `failures="${tests.filter((t) => t.status === "failed").length}" errors="${errors.length}" ` +
      `skipped="${tests.filter((t) => t.status === "skipped").length}" time="${seconds(tests.reduce((a, t) => a + t.durationMs, 0))}"`;
    const body = [
      ...tests.map(testcase),
      ...errors.map((e) => `    <system-err>${esc(e.message)}</system-err>`),
    ];
    return `  <testsuite ${attrs}>\n${body.join("\n")}\n  </testsuite>`;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${esc(`${report.api} conformance`)}" tests="${s.tests}" failures="${s.failed}" errors="${s.errors}" ` +
    `skipped="${s.skipped}" time="${seconds(s.durationMs)}">\n${[...problems, ...suites].join("\n")}\n</testsuites>\n`
  );
}
