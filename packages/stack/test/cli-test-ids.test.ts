import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestListError, apiPackageDirs, listTestIds, upstreamIdsOf } from "../src/cli-test-ids.js";
import type { ManagedProcess } from "../src/lifecycle/process-group.js";
import { startFakeStack } from "./fake-stack.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.join(here, "fixtures", "api-package");

describe("apiPackageDirs and upstreamIdsOf", () => {
  it("finds only API packages with a vitest config", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "list-ids-root-"));
    try {
      for (const api of ["b", "a", "no-config"]) fs.mkdirSync(path.join(root, "packages", "apis", api), { recursive: true });
      for (const api of ["b", "a"]) fs.writeFileSync(path.join(root, "packages", "apis", api, "vitest.config.ts"), "export default {};\n");
      expect(apiPackageDirs(root)).toEqual(["a", "b"].map((api) => path.join(root, "packages", "apis", api)));
      expect(apiPackageDirs(path.join(root, "missing"))).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("keeps upstream ids and drops local tests", () => {
    const json = JSON.stringify([
      { name: "tests/integration/files/test_x.py::test_a", file: "/x.test.ts" },
      { name: "local/prompts::renders", file: "/y.test.ts" },
    ]);
    expect(upstreamIdsOf(json, "pkg")).toEqual(["tests/integration/files/test_x.py::test_a"]);
    expect(() => upstreamIdsOf("[stack] started\n[]", "pkg")).toThrow(TestListError);
  });

  it("names the package when vitest is not installed for it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "list-ids-novitest-"));
    try {
      await expect(listTestIds([dir], process.env)).rejects.toThrow(`vitest is not installed for ${dir}: run pnpm install`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("listTestIds over a real vitest package", () => {
  let tmp: string;
  let stack: ManagedProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "list-ids-"));
    ({ stack, env } = await startFakeStack(tmp));
    // Listing runs the fixture's globalSetup, which holds reports/<api>/.run.lock: an API name of its own,
    // or vitest-integration's run of the same fixture in a parallel worker is refused (or refuses this).
    env = { ...env, SELFTEST_API: "selftest-list" };
  }, 30_000);

  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("lists every case's upstream id, sorted, without running the tests", async () => {
    const ids = await listTestIds([FIXTURE], env);
    const base = "txt=llama-cpp/tiny-random-llama:emb=llama-cpp/all-MiniLM-L6-v2:dim=384";
    const file = "tests/integration/inference/test_sample.py";
    expect(ids).toEqual([
      ...["client_with_models", "openai_client"].flatMap((v) => ["False", "True"].map((c) => `tests/integration/files/test_sample.py::test_headers[${v}-${base}-${c}]`)),
      `${file}::TestX::test_quality[txt=llama-cpp/tiny-random-llama]`,
      `${file}::test_known_failure`,
      `${file}::test_known_failure_passing`,
      `${file}::test_needs_tools`,
      `${file}::test_sdk`,
      `${file}::test_vision`,
    ]);
    // Collected, not run: a run would have written the conformance report.
    expect(fs.existsSync(path.join(tmp, "selftest-list", "conformance.json"))).toBe(false);
  }, 60_000);

  it("names tests under the caller's options", async () => {
    const ids = await listTestIds([FIXTURE], { ...env, LLAMA_STACK_TEST_TEXT_MODEL: "llama-cpp/other" });
    expect(ids).toContain("tests/integration/inference/test_sample.py::TestX::test_quality[txt=llama-cpp/other]");
  }, 60_000);
});
