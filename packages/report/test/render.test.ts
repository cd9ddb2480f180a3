import { describe, expect, it } from "vitest";
import {
  addSummaries,
  renderApiHtml,
  renderApiMarkdown,
  renderJunit,
  renderMergedHtml,
  renderMergedMarkdown,
  summarize,
  upstreamFunctionOf,
  upstreamFunctionTotal,
  UPSTREAM_TEST_FUNCTIONS,
  type ApiReport,
  type ConformanceReport,
  type TestRecord,
} from "../src/index.js";

const F = "tests/integration/inference/test_openai_completion.py";

function rec(over: Partial<TestRecord> & Pick<TestRecord, "id" | "status">): TestRecord {
  return { upstreamFunction: upstreamFunctionOf(over.id), file: "packages/apis/inference/test/a.test.ts", durationMs: 12, skippedAssertions: [], ...over };
}

const tests: TestRecord[] = [
  rec({ id: `${F}::test_a[openai_client-txt=x]`, status: "passed", skippedAssertions: [{ capability: "answer_quality", reason: "tiny model" }] }),
  rec({ id: `${F}::test_a[client_with_models-txt=x]`, status: "passed" }),
  rec({ id: `${F}::test_b`, status: "failed", error: 'expected "<b>" | got & "x"\nsecond line' }),
  rec({ id: `${F}::test_c[p]`, status: "skipped", skipReason: "no vision model" }),
  rec({ id: `${F}::test_d`, status: "skipped", skipReason: "no vision model" }),
];

function apiReport(): ApiReport {
  return {
    schemaVersion: 1,
    api: "inference",
    generatedAt: "2025-01-01T00:00:00.000Z",
    environment: { stackConfig: "embedded" },
    summary: summarize("inference", tests),
    fileErrors: [],
    tests,
  };
}

describe("upstream ids", () => {
  it.each([
    [`${F}::test_a[openai_client-txt=ollama/llama3.2:3b-instruct-fp16-inference:chat_completion:non_streaming_01]`, `${F}::test_a`],
    [`${F}::TestX::test_y[p[1]]`, `${F}::TestX::test_y`],
    [`${F}::test_plain`, `${F}::test_plain`],
    ["a helper test [x]", null],
  ])("%s -> %s", (id, fn) => {
    expect(upstreamFunctionOf(id)).toBe(fn);
  });

  it("knows upstream's totals per API (221 in all)", () => {
    expect(upstreamFunctionTotal("inference")).toBe(49);
    expect(upstreamFunctionTotal("vector_io")).toBe(37);
    expect(upstreamFunctionTotal("prompts")).toBeNull();
    const all = Object.keys(UPSTREAM_TEST_FUNCTIONS).reduce((sum, api) => sum + upstreamFunctionTotal(api)!, 0);
    expect(all).toBe(221);
  });
});

describe("summarize", () => {
  it("counts statuses, reasons and functions", () => {
    expect(summarize("inference", tests)).toEqual({
      tests: 5,
      passed: 2,
      failed: 1,
      skipped: 2,
      errors: 0,
      durationMs: 60,
      skippedByReason: [{ reason: "no vision model", count: 2 }],
      skippedAssertions: 1,
      skippedAssertionsByReason: [{ capability: "answer_quality", reason: "tiny model", count: 1 }],
      upstreamFunctions: { covered: 4, passing: 1, total: 49 },
    });
  });

  it("adds summaries across APIs", () => {
    const a = summarize("inference", tests);
    const b = summarize("files", [rec({ id: "tests/integration/files/test_files.py::test_x", status: "skipped", skipReason: "no vision model" })]);
    expect(addSummaries([a, b])).toMatchObject({
      tests: 6,
      skipped: 3,
      skippedByReason: [{ reason: "no vision model", count: 3 }],
      upstreamFunctions: { covered: 5, passing: 1, total: 55 },
    });
  });
});

describe("per-API renderers", () => {
  it("markdown escapes table cells", () => {
    const md = renderApiMarkdown(apiReport());
    expect(md).toContain("stack embedded, setup embedded, mode replay, commit unknown, at ");
    expect(md).toContain("| 2 | 1 | 2 | 0 | 1 | 4 / 49 (8%) |");
    expect(md).toContain('expected "<b>" \\| got & "x" second line');
    expect(md).toContain("- 2 × no vision model");
  });

  it("names the real server's target beside its stack", () => {
    const report = { ...apiReport(), environment: { stackConfig: "server:stacks/run-ogx.yaml", target: "ogx@1.5.0", setup: "embedded" } };
    expect(renderApiMarkdown(report)).toContain("stack server:stacks/run-ogx.yaml, target ogx@1.5.0, setup embedded, mode replay");
    expect(renderApiHtml(report)).toContain("stack server:stacks/run-ogx.yaml, target ogx@1.5.0, setup embedded, mode replay");
  });

  it("html escapes content and colour-codes rows", () => {
    const html = renderApiHtml(apiReport());
    expect(html).toContain("expected &quot;&lt;b&gt;&quot; | got &amp; &quot;x&quot;");
    expect(html).not.toContain("<b>");
    expect(html).toMatch(/<tr class="fail"><td class="verdict">failing<\/td>/);
    expect(html.match(/<tr class="skipped">/g)).toHaveLength(2);
  });

  it("junit is well-formed and carries reasons", () => {
    const xml = renderJunit(apiReport());
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).toContain('<testsuites name="inference conformance" tests="5" failures="1" errors="0" skipped="2" time="0.060">');
    expect(xml).toContain('<failure message="expected &quot;&lt;b&gt;&quot; | got &amp; &quot;x&quot;\nsecond line" type="AssertionError">');
    expect(xml).toContain('<skipped message="no vision model"/>');
    expect(xml).toContain('<property name="skipped-assertion" value="answer_quality: tiny model"/>');
    // Every opened element is closed.
    expect(xml.match(/<testcase /g)).toHaveLength(5);
    expect((xml.match(/<\/testcase>/g) ?? []).length + (xml.match(/<testcase [^>]*\/>/g) ?? []).length).toBe(5);
  });
});

describe("merged renderers", () => {
  const inference = apiReport();
  const clean = summarize("files", [rec({ id: "tests/integration/files/test_files.py::test_x", status: "passed" })]);
  const merged: ConformanceReport = {
    schemaVersion: 1,
    generatedAt: "2025-01-01T00:00:00.000Z",
    runs: [],
    apis: [
      { api: "files", reported: true, summary: clean },
      { api: "inference", reported: true, summary: inference.summary },
      { api: "safety", reported: false, summary: summarize("safety", []) },
    ],
    totals: addSummaries([clean, inference.summary, summarize("safety", [])]),
  };

  it("html: one row per API, colour by verdict, linked details", () => {
    const html = renderMergedHtml(merged);
    expect(html).toMatch(/<tr class="partial"><td><a href="files\/conformance.html">files<\/a><\/td>/);
    expect(html).toMatch(/<tr class="fail"><td><a href="inference\/conformance.html">inference<\/a>/);
    expect(html).toMatch(/<tr class="not-run"><td>safety<\/td><td class="verdict">not run<\/td>/);
    expect(html).toContain("<li>2 × no vision model</li>");
    expect(html).toContain("<li>1 × answer_quality: tiny model</li>");
  });

  it("markdown: totals row", () => {
    const md = renderMergedMarkdown(merged);
    expect(md).toContain("| safety | not run | 0 | 0 | 0 | – | – | 0 / 16 (0%) |");
    expect(md).toContain("| **all** | | **3** | **1** | **2** | | **1** | **5 / 71 (7%)** |");
  });
});
