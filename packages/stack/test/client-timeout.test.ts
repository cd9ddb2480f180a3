import type { TestContext } from "vitest";
import { describe, expect, it } from "vitest";
import { createTestContext } from "../src/context.js";
import { readOptions } from "../src/options.js";

const planned = { testId: "tests/integration/x/test_x.py::test_x", models: {}, param: undefined } as Parameters<typeof createTestContext>[0];

describe("LLAMA_STACK_CLIENT_TIMEOUT", () => {
  it("sets both test clients' timeout, as upstream's client fixture does; unset, the clients keep their own", () => {
    const withTimeout = createTestContext(planned, { baseUrl: "http://127.0.0.1:9", options: readOptions({ LLAMA_STACK_CLIENT_TIMEOUT: "300" }, "/repo") }, {} as TestContext);
    expect(withTimeout.client.timeout).toBe(300_000);
    expect(withTimeout.openai.timeout).toBe(300_000);
    const without = createTestContext(planned, { baseUrl: "http://127.0.0.1:9", options: readOptions({}, "/repo") }, {} as TestContext);
    expect(without.client.timeout).not.toBe(300_000);
    expect(without.openai.timeout).not.toBe(300_000);
  });
});
