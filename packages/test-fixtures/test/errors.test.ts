import { describe, expect, it } from "vitest";

import { failure, statusOf } from "../src/index.js";

describe("failure", () => {
  it("gives the rejection reason, or undefined when the promise resolved", async () => {
    const reason = new Error("boom");
    expect(await failure(Promise.reject(reason))).toBe(reason);
    expect(await failure(Promise.resolve("ok"))).toBeUndefined();
  });
});

describe("statusOf", () => {
  it("reads a numeric status and ignores anything else", () => {
    expect(statusOf(Object.assign(new Error("not found"), { status: 404 }))).toBe(404);
    expect(statusOf({ status: "404" })).toBeUndefined();
    expect(statusOf(new Error("no status"))).toBeUndefined();
    expect(statusOf(null)).toBeUndefined();
  });
});
