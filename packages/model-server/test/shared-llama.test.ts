import { describe, expect, it } from "vitest";
import { acquireLlama } from "../src/shared-llama.js";

describe("one Llama per process", () => {
  it("hands every concurrent user the same binding and disposes it after the last release", async () => {
    const [a, b] = await Promise.all([acquireLlama(1), acquireLlama(1)]);
    expect(b.llama).toBe(a.llama);
    await a.release();
    await a.release(); // a second release of one lease counts once
    expect(a.llama.disposed).toBe(false);
    await b.release();
    expect(a.llama.disposed).toBe(true);
    const c = await acquireLlama(1);
    expect(c.llama).not.toBe(a.llama);
    await c.release();
  });
});
