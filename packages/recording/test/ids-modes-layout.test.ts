import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestScopedIdAllocator, INFERENCE_MODES, parseInferenceMode, MissingTestIdError } from "../src/index.js";
import { apiFolderForTestId } from "../src/format.js";
import { diffBodies, recordCommand } from "../src/miss.js";
import { parseJson } from "../src/json.js";
import { HAVE_UPSTREAM, UPSTREAM_INTEGRATION } from "./shared.js";

describe("modes", () => {
  it("defaults to replay, is case-insensitive, and lists valid modes on error", () => {
    expect(parseInferenceMode(undefined)).toBe("replay");
    expect(parseInferenceMode("RECORD-IF-MISSING")).toBe("record-if-missing");
    expect(() => parseInferenceMode("playback")).toThrow(/live, record, replay, record-if-missing/);
    expect(INFERENCE_MODES).toHaveLength(4);
  });
});

describe("test-scoped id allocator", () => {
  it("counts up per test and kind from the test's seed; unknown kinds use the fallback", () => {
    const next = createTestScopedIdAllocator();
    // sha256("t") mod 1e12, plus one.
    const a = next("file", "t", () => "x");
    expect(a).toMatch(/^file-\d+$/);
    expect(next("file", "t", () => "x")).toBe(`file-${BigInt(a.slice(5)) + 1n}`);
    expect(next("vector_store", "t", () => "x")).toBe(`vs_${BigInt(a.slice(5))}`);
    expect(next("tool_call", "u", () => "x")).not.toBe(`call_${BigInt(a.slice(5))}`);
    expect(next("conversation", "t", () => "conv_random")).toBe("conv_random");
    expect(() => next("file", null, () => "x")).toThrow(MissingTestIdError);
  });

  it.skipIf(!HAVE_UPSTREAM)("mints the file ids seen in upstream recordings for their tests", () => {
    const seen = new Map<string, Set<string>>();
    const walk = (d: string): void => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (d.endsWith("/recordings") && n.endsWith(".json")) {
          const text = readFileSync(p, "utf8");
          const testId = JSON.parse(text).test_id as string | null;
          if (!testId) continue;
          for (const m of text.matchAll(/\b(?:file-|vs_|batch_|call_)\d{6,}\b/g)) {
            if (!seen.has(testId)) seen.set(testId, new Set());
            seen.get(testId)!.add(m[0]);
          }
        }
      }
    };
    walk(UPSTREAM_INTEGRATION);
    expect(seen.size).toBeGreaterThan(0);
    for (const [testId, ids] of seen) {
      const next = createTestScopedIdAllocator();
      const minted = new Set(Array.from({ length: 10 }, () => next("file", testId, () => "")));
      for (const id of ids) expect(minted, `${testId}: ${id}`).toContain(id);
    }
  });
});

describe("layout and miss reporting", () => {
  it("derives the API folder from the test id as upstream derives its recordings folder", () => {
    expect(apiFolderForTestId("tests/integration/inference/test_x.py::test_y[a]")).toBe("inference");
    expect(apiFolderForTestId("tests/integration/providers/nvidia/test_x.py::t")).toBe("providers/nvidia");
    expect(apiFolderForTestId(null)).toBe("common");
    expect(apiFolderForTestId("test_top.py::t")).toBe("common");
    expect(apiFolderForTestId("../../etc/x.py::t")).toBe("etc");
  });

  it("diffs bodies leaf by leaf and builds the record command", () => {
    const d = diffBodies(parseJson('{"a": 1, "b": [1, 2], "c": "x"}'), parseJson('{"a": 1.0, "b": [1], "d": true, "c": "x"}'));
    expect(d).toEqual([
      "body.a: recorded 1 → requested 1.0",
      "body.b[1]: recorded 2 → requested (absent)",
      "body.d: recorded (absent) → requested true",
    ]);
    expect(recordCommand("tests/integration/safety/test_safety.py::TestX::test_unsafe[shield=llama-guard]"))
      .toBe('LLAMA_STACK_TEST_INFERENCE_MODE=record-if-missing pnpm turbo run test --filter=safety -- -t "test_unsafe"');
  });
});
