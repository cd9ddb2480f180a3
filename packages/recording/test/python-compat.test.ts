/** Python float formatting/rounding and json.dumps semantics the request hash depends on. */
import { describe, expect, it } from "vitest";
import { parseJson, pyDumps, pyFloatRepr } from "../src/json.js";
import { pyFixed5, pyRound5 } from "../src/pyround.js";
import { normalizeNumericLiteralStrings, requestHash } from "../src/hash.js";

// [x, repr(x), repr(round(x, 5)), f"{x:.5f}"] as CPython 3 prints them.
const CASES: Array<[number, string, string, string]> = [
  [1.0, "1.0", "1.0", "1.00000"],
  [0.1, "0.1", "0.1", "0.10000"],
  [1e-5, "1e-05", "1e-05", "0.00001"],
  [1.5e-7, "1.5e-07", "0.0", "0.00000"],
  [1e16, "1e+16", "1e+16", "10000000000000000.00000"],
  [1e15, "1000000000000000.0", "1000000000000000.0", "1000000000000000.00000"],
  [123456789012345678, "1.2345678901234568e+17", "1.2345678901234568e+17", "123456789012345680.00000"],
  [-0.0, "-0.0", "-0.0", "-0.00000"],
  [0.015625, "0.015625", "0.01562", "0.01562"], // exact tie: half-even
  [2.675, "2.675", "2.675", "2.67500"],
  [1.000005, "1.000005", "1.00001", "1.00001"],
  [0.123456789, "0.123456789", "0.12346", "0.12346"],
  [-0.000001, "-1e-06", "-0.0", "-0.00000"],
  [12345.678915, "12345.678915", "12345.67892", "12345.67892"],
  [1e22, "1e+22", "1e+22", "10000000000000000000000.00000"],
  [5e-324, "5e-324", "0.0", "0.00000"],
  [0.30000000000000004, "0.30000000000000004", "0.3", "0.30000"],
];

describe("Python number semantics", () => {
  it.each(CASES)("%s: repr, round(x, 5), :.5f", (x, repr, rounded, fixed) => {
    expect(pyFloatRepr(x)).toBe(repr);
    expect(pyFloatRepr(pyRound5(x))).toBe(rounded);
    expect(pyFixed5(x)).toBe(fixed);
  });

  it("json.dumps(sort_keys=True): ensure_ascii escapes, code-point key order, int vs float literals", () => {
    const v = parseJson('{"b": [1, 1.0, "é😀\\u007f\\n", -0, 1E2], "a": null, "\\uffff": 1, "😀": 2}');
    expect(pyDumps(v, { sortKeys: true })).toBe(
      '{"a": null, "b": [1, 1.0, "\\u00e9\\ud83d\\ude00\\u007f\\n", 0, 100.0], "\\uffff": 1, "\\ud83d\\ude00": 2}',
    );
  });

  it("rounds long decimals inside strings and leaves short ones", () => {
    expect(normalizeNumericLiteralStrings("score 0.123456 and 1.5 and -2.00001234")).toBe("score 0.12346 and 1.5 and -2.00001");
  });

  it("hash keeps 1 and 1.0 apart, ignores float noise past 5 places, and drops test_id for model lists", () => {
    const h = (body: string, endpoint = "/v1/chat/completions", testId: string | null = "t") =>
      requestHash({ method: "post", endpoint, body: parseJson(body), testId });
    expect(h('{"temperature": 1}')).not.toBe(h('{"temperature": 1.0}'));
    expect(h('{"temperature": 0.7000001}')).toBe(h('{"temperature": 0.7}'));
    expect(h("{}", "/v1/models", "a")).toBe(h("{}", "/v1/models", "b"));
    expect(h("{}", "/v1/v1/models", "a")).not.toBe(h("{}", "/v1/v1/models", "b"));
  });
});
