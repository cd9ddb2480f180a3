import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../src/stack-config.js";

const env = {};

describe("parseStackConfig", () => {
  it("defaults to the embedded stack", () => {
    expect(parseStackConfig(undefined, env)).toEqual({ kind: "embedded" });
    expect(parseStackConfig("", env)).toEqual({ kind: "embedded" });
    expect(parseStackConfig("embedded", env)).toEqual({ kind: "embedded" });
  });

  it("server:<config> uses LLAMA_STACK_PORT or 8321", () => {
    expect(parseStackConfig("server:starter", env)).toEqual({ kind: "server", config: "starter", port: 8321 });
    expect(parseStackConfig("server:starter", { LLAMA_STACK_PORT: "9000" })).toEqual({ kind: "server", config: "starter", port: 9000 });
  });

  it("server:<config>:<port>", () => {
    expect(parseStackConfig("server:ci-tests:8322", env)).toEqual({ kind: "server", config: "ci-tests", port: 8322 });
  });

  it("server:<distro>::<file.yaml> keeps the whole name and takes the port from the env", () => {
    expect(parseStackConfig("server:ci-tests::run-with-postgres-store.yaml", { LLAMA_STACK_PORT: "8400" })).toEqual({
      kind: "server",
      config: "ci-tests::run-with-postgres-store.yaml",
      port: 8400,
    });
  });

  it("a URL is a running stack", () => {
    expect(parseStackConfig("http://localhost:8321", env)).toEqual({ kind: "url", baseUrl: "http://localhost:8321" });
    expect(parseStackConfig("https://stack.example/", env)).toEqual({ kind: "url", baseUrl: "https://stack.example" });
  });

  const bad: [string, RegExp][] = [
    ["server:", /--stack-config=server:: server: needs a config name, e\.g\. server:starter/],
    ["server:starter:abc", /port 'abc' is not a number/],
    ["server:starter:70000", /port 70000 is outside 1-65535/],
    ["server:starter:1:2", /too many ':' \(use server:<config>:<port>\)/],
    ["server:ci-tests::", /needs both a distro and a file/],
    ["ftp://host/x", /URL scheme ftp: is not http or https/],
    ["http://", /not a valid URL/],
    ["docker:ci-tests", /docker: stacks are not supported here; start the container yourself and pass its URL/],
    ["starter", /a distro name selects Llama Stack's Python library client, which TypeScript cannot host; use server:starter/],
    ["./run.yaml", /a run\.yaml path selects Llama Stack's Python library client.*use server:\.\/run\.yaml/],
    ["inference=ollama,safety=llama-guard", /an ad-hoc provider spec selects .*use server:<config>/],
  ];
  it.each(bad)("rejects %s naming the form and listing the valid ones", (raw, message) => {
    let error: unknown;
    try {
      parseStackConfig(raw, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    const text = (error as Error).message;
    expect(text).toMatch(message);
    expect(text).toContain(`--stack-config=${raw}`);
    expect(text).toContain("Valid forms:");
    expect(text).toContain("server:<config>:<port>");
    expect(text).toContain("server:<distro>::<run-file.yaml>");
  });

  it("rejects a bad LLAMA_STACK_PORT", () => {
    expect(() => parseStackConfig("server:starter", { LLAMA_STACK_PORT: "x" })).toThrow(/port 'x' is not a number/);
  });
});
