import { describe, expect, it } from "vitest";
import { acquireModelServer } from "../src/lifecycle/modules.js";

const answers = async (url: string) => fetch(`${url}/health`).then((r) => r.ok, () => false);

describe("the process's model server", () => {
  it("is one server for concurrent users, closed once the last one releases it", async () => {
    const [a, b] = await Promise.all([acquireModelServer(), acquireModelServer()]);
    expect(b.url).toBe(a.url);
    await a.release();
    await a.release(); // a second release of one lease counts once
    expect(await answers(a.url)).toBe(true);
    await b.release();
    expect(await answers(a.url)).toBe(false);
  }, 120_000);
});
