import { describe, expect, it } from "vitest";
import { gateSite } from "../src/gate-site.js";

const own = ["/repo/packages/stack/src", "/repo/packages/stack/dist"];

describe("gateSite", () => {
  it("names the first frame outside the stack package, relative to the repository", () => {
    const stack = [
      "Error",
      "    at Object.can (/repo/packages/stack/src/context.ts:52:20)",
      "    at Object.can (/repo/packages/stack/dist/index.js:10:5)",
      "    at next (/repo/node_modules/.pnpm/x/index.js:1:1)",
      "    at runTurns (/repo/packages/apis/responses/test/test_basic_responses.test.ts:114:17)",
      "    at file:///repo/packages/apis/responses/test/other.ts:3:1",
    ].join("\n");
    expect(gateSite(stack, "/repo", own)).toEqual({ file: "packages/apis/responses/test/test_basic_responses.test.ts", line: 114 });
  });

  it("reads file URLs and gives up outside the repository", () => {
    expect(gateSite("Error\n    at file:///repo/packages/apis/x/test/a.ts:3:1", "/repo")).toEqual({ file: "packages/apis/x/test/a.ts", line: 3 });
    expect(gateSite("Error\n    at f (/elsewhere/a.ts:3:1)", "/repo")).toBeUndefined();
    expect(gateSite(undefined, "/repo")).toBeUndefined();
  });
});
