import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ApiReport } from "@llama-stack-tests/report";
import { findRepoRoot } from "@llama-stack-tests/setups";
import { afterAll, describe, expect, it } from "vitest";
import { readOptions } from "../src/options.js";
import { runTsClientAfterSuite } from "../src/ts-client/after-suite.js";
import { CLIENT_SKIP_REASON, clientTestRecords } from "../src/ts-client/results.js";
import { CLIENT_REPORT_NAME, buildCheckout } from "../src/ts-client/run.js";
import { OWN_CLIENT_TESTS_DIR, parseTsClientPath } from "../src/ts-client/source.js";
import { readClientSuites, selectClientFiles } from "../src/ts-client/suites.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = findRepoRoot(here);
// Under the package (git-ignored .cache/), so a scratch project finds this package's vitest above it.
fs.mkdirSync(path.join(here, "..", ".cache"), { recursive: true });
const scratch = fs.mkdtempSync(path.join(here, "..", ".cache", "ts-client-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("LLAMA_STACK_TEST_") || key === "LLAMA_CPP_URL") delete env[key];
  return env;
}

const readReport = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, CLIENT_REPORT_NAME, "conformance.json"), "utf8")) as ApiReport;

describe("TS_CLIENT_PATH", () => {
  it("names a client test project, an SDK checkout or tarball, or an npm version of llama-stack-client", () => {
    const own = path.join(root, OWN_CLIENT_TESTS_DIR);
    expect(parseTsClientPath(OWN_CLIENT_TESTS_DIR, root)).toEqual({ kind: "project", dir: own });
    const sdk = project("sdk", { "package.json": JSON.stringify({ name: "llama-stack-client" }) });
    expect(parseTsClientPath(sdk, root)).toEqual({ kind: "client", installSpec: sdk, label: `llama-stack-client from ${sdk}`, checkout: sdk });
    const tgz = path.join(scratch, "llama-stack-client-0.7.3.tgz");
    fs.writeFileSync(tgz, "");
    expect(parseTsClientPath(tgz, root)).toMatchObject({ kind: "client", installSpec: tgz });
    for (const spec of ["0.7.3", "^0.3.0", "~0.2", ">=0.3 <0.8", "0.3.x", "latest"]) {
      expect(parseTsClientPath(spec, root)).toEqual({ kind: "client", installSpec: `llama-stack-client@${spec}`, label: `llama-stack-client@${spec}` });
    }
    const other = project("other", { "package.json": JSON.stringify({ name: "left-pad" }) });
    expect(() => parseTsClientPath(other, root)).toThrow(/has no suites\.json and is not a llama-stack-client checkout \(its package is 'left-pad'\)/);
    expect(() => parseTsClientPath(scratch, root)).toThrow(/has no package\.json/);
    expect(() => parseTsClientPath("clients/typo", root)).toThrow(/TS_CLIENT_PATH='clients\/typo' is neither a directory, a \.tgz nor an npm version/);
    expect(() => parseTsClientPath("typo", root)).toThrow(/neither a directory/);
  });

  it("builds an SDK checkout in place before installing it (npm install, then its build script)", async () => {
    // A stand-in checkout with no dependencies: npm install needs no registry, and the build leaves a file.
    const sdk = project("sdk-build", { "package.json": JSON.stringify({ name: "llama-stack-client", version: "0.0.0", scripts: { build: "node -e \"require('fs').writeFileSync('built', 'yes')\"" } }) });
    const lines: string[] = [];
    await buildCheckout(sdk, (l) => lines.push(l));
    expect(fs.readFileSync(path.join(sdk, "built"), "utf8")).toBe("yes");
    expect(lines).toEqual([`client-typescript: building the llama-stack-client checkout at ${sdk}`]);
    fs.writeFileSync(path.join(sdk, "package.json"), JSON.stringify({ name: "llama-stack-client", scripts: { build: "exit 3" } }));
    await expect(buildCheckout(sdk, () => {})).rejects.toThrow(`npm run build in the checkout ${sdk} failed`);
  }, 60_000);

  it("chooses files as upstream's runner does: the suite's first entry whose setup is empty or the run's", () => {
    const entries = [
      { suite: "responses", setup: "gpt", files: ["a.test.ts"] },
      { suite: "responses", files: ["b.test.ts"] },
      { suite: "base", setup: "ollama", files: ["c.test.ts"] },
    ];
    expect(selectClientFiles(entries, "responses", "gpt")).toEqual(["a.test.ts"]);
    expect(selectClientFiles(entries, "responses", "embedded")).toEqual(["b.test.ts"]);
    expect(selectClientFiles(entries, "base", "embedded")).toEqual([]);
    const bad = project("bad-suites", { "suites.json": JSON.stringify({ suite: "base" }) });
    expect(() => readClientSuites(bad)).toThrow(/must be a JSON array of \{"suite": string, "setup"\?: string, "files": string\[\]\}/);
  });

  it("maps Jest/Vitest JSON results to report records, skips with a reason, file errors apart", () => {
    const dir = "/p";
    const { tests, fileErrors } = clientTestRecords(
      {
        testResults: [
          {
            name: "/p/__tests__/a.test.ts",
            assertionResults: [
              { fullName: "x passes", status: "passed", duration: 3 },
              { fullName: "x fails", status: "failed", failureMessages: ["AssertionError: no\n at line"] },
              { fullName: "x skipped", status: "pending" },
            ],
          },
          { name: "/p/__tests__/b.test.ts", status: "failed", message: "Cannot find module 'llama-stack-client'\nstack", assertionResults: [] },
        ],
      },
      dir,
    );
    expect(tests.map((t) => [t.id, t.status])).toEqual([
      ["__tests__/a.test.ts::x passes", "passed"],
      ["__tests__/a.test.ts::x fails", "failed"],
      ["__tests__/a.test.ts::x skipped", "skipped"],
    ]);
    expect(tests[1]!.error).toBe("AssertionError: no");
    expect(tests[2]!.skipReason).toBe(CLIENT_SKIP_REASON);
    expect(fileErrors).toEqual([{ file: "__tests__/b.test.ts", message: "Cannot find module 'llama-stack-client'" }]);
  });

  it("runs the project's own client tests (llama-stack-client) against an embedded stack in replay; their results are their own report section", async () => {
    const env = cleanEnv();
    const options = readOptions(env, root);
    const reportsDir = path.join(scratch, "reports-own");
    const lines: string[] = [];
    const { code, reported } = await runTsClientAfterSuite(parseTsClientPath(OWN_CLIENT_TESTS_DIR, root), { rootDir: root, suite: "base", options, env, reportsDir, log: (l) => lines.push(l) });
    expect(reported).toBe(true);
    const report = readReport(reportsDir);
    expect(report.tests.map((t) => [t.id, t.status])).toEqual([
      ["__tests__/inference.test.ts::chat completions through llama-stack-client answers a non-streaming chat completion", "passed"],
      ["__tests__/inference.test.ts::chat completions through llama-stack-client streams a chat completion as chunks", "passed"],
      ["__tests__/inference.test.ts::chat completions through llama-stack-client lists the text model", "passed"],
    ]);
    expect(code, lines.join("\n")).toBe(0);
    expect(report.environment).toEqual({ stackConfig: "embedded", setup: "embedded", inferenceMode: "replay" });
    expect(lines.at(-1)).toMatch(/^client-typescript \(llama-stack-client 0\.7\.3\): 3 passed, 0 failed, 0 skipped; /);
  }, 90_000);

  it("a failing client test fails the step and is reported; an unmapped suite runs nothing and writes no report", async () => {
    const dir = project("failing", {
      "package.json": JSON.stringify({ name: "failing-client-tests", private: true, devDependencies: { vitest: "3.2.4" } }),
      "suites.json": JSON.stringify([{ suite: "base", files: ["__tests__/x.test.ts"] }]),
      "__tests__/x.test.ts": [
        'import { expect, it } from "vitest";',
        'it("sees the base URL", () => expect(process.env.TEST_API_BASE_URL).toBe("http://127.0.0.1:9"));',
        'it("sees upstream\'s server type", () => expect(process.env.LLAMA_STACK_TEST_STACK_CONFIG_TYPE).toBe("server"));',
        'it("fails", () => expect(1).toBe(2));',
        'it.skip("is skipped", () => {});',
      ].join("\n"),
    });
    const options = readOptions(cleanEnv(), root);
    const reportsDir = path.join(scratch, "reports-failing");
    const base = { source: parseTsClientPath(dir, root), rootDir: root, options, env: cleanEnv(), reportsDir, log: () => {} };
    // A URL stack that is never reached: these tests only read their env.
    const shared = { baseUrl: "http://127.0.0.1:9", description: "test double: an address, no stack", close: async () => {} };
    expect(await runTsClientAfterSuite(base.source, { ...base, suite: "responses", shared })).toEqual({ code: 0, reported: false });
    expect(fs.existsSync(path.join(reportsDir, CLIENT_REPORT_NAME))).toBe(false);
    expect(await runTsClientAfterSuite(base.source, { ...base, suite: "base", shared })).toEqual({ code: 1, reported: true });
    expect(readReport(reportsDir).summary).toMatchObject({ tests: 4, passed: 2, failed: 1, skipped: 1 });

    // A project the harness cannot run fails the step with one line, not the whole run.
    const noRunner = project("no-runner", { "package.json": "{}", "suites.json": JSON.stringify([{ suite: "base", files: ["a.test.ts"] }]) });
    const lines: string[] = [];
    expect(await runTsClientAfterSuite(parseTsClientPath(noRunner, root), { ...base, suite: "base", shared, log: (l) => lines.push(l) })).toEqual({ code: 1, reported: false });
    expect(lines).toEqual([`client-typescript: FAILED: ${noRunner}/package.json names neither vitest nor jest: the client tests need one of them to run and to report per test`]);
  }, 60_000);
});
