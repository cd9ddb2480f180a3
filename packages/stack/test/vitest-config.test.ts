import os from "node:os";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OPTION_ENV } from "../src/env-names.js";
import { defineApiConfig } from "../src/vitest-config.js";

const saved = { stack: process.env[OPTION_ENV.stackConfig], mode: process.env[OPTION_ENV.inferenceMode] };
afterEach(() => {
  for (const [name, value] of [[OPTION_ENV.stackConfig, saved.stack], [OPTION_ENV.inferenceMode, saved.mode]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const timeoutFor = (stackConfig: string, mode: string) => {
  process.env[OPTION_ENV.stackConfig] = stackConfig;
  process.env[OPTION_ENV.inferenceMode] = mode;
  return defineApiConfig({ api: "x" }).test?.testTimeout;
};

describe("an API package's test timeout (a hang detector, not a speed check)", () => {
  it("is short only for replay on the embedded stack", () => {
    expect(timeoutFor("embedded", "replay")).toBe(30_000);
  });

  it("is long for a real server even in replay: its guardrail cases took 22-30 s on a loaded machine", () => {
    expect(timeoutFor("server:stacks/run.yaml:8341", "replay")).toBe(300_000);
    expect(timeoutFor("http://127.0.0.1:8321", "replay")).toBe(300_000);
  });

  it("is long when requests reach real providers", () => {
    expect(timeoutFor("embedded", "record")).toBe(300_000);
  });
});

describe("an API package's test workers", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const forksOn = (cores: number) => {
    vi.spyOn(os, "availableParallelism").mockReturnValue(cores);
    return defineApiConfig({ api: "x" }).test;
  };

  it("start no fork before the run on 2 cores: with isolate off vitest recycles the pool first, so a pre-started fork was terminated unused", () => {
    const test = forksOn(2);
    expect(test?.isolate).toBe(false);
    expect(test?.poolOptions?.forks).toEqual({ maxForks: 1, minForks: 0 });
  });

  it("keep every fork with more cores: fewer kept than used, tinypool ended forks vitest still ran files on", () => {
    expect(forksOn(4)?.poolOptions?.forks).toEqual({ maxForks: 3, minForks: 3 });
    expect(forksOn(16)?.poolOptions?.forks).toEqual({ maxForks: 4, minForks: 4 });
  });
});
