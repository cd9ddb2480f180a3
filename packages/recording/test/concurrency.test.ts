/**
 * 8 proxy processes record 200 recordings each into one directory at the same time, plus 20
 * identical requests from all 8 (same file written concurrently): nothing lost, nothing corrupt.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ID_HEADER } from "../src/index.js";
import { runCli, startCliProxy } from "./cli-run.js";
import { startFakeProvider, type FakeProvider } from "./upstream.js";

const WORKERS = 8;
const PER_WORKER = 200;
const SHARED = 20;
const IN_FLIGHT = 8;

let provider: FakeProvider;
let dir: string;
beforeAll(async () => {
  provider = await startFakeProvider();
  dir = mkdtempSync(join(tmpdir(), "rec-conc-"));
});
afterAll(async () => {
  await provider.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pool<T>(items: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (i < items.length) await fn(items[i++]!);
  }));
}

describe("concurrent recording", () => {
  it(`${WORKERS} processes x ${PER_WORKER} recordings, plus shared hashes written by all`, async () => {
    const proxies = await Promise.all(Array.from({ length: WORKERS }, () =>
      startCliProxy(["--mode", "record", "--dir", dir, "--route", `llama-cpp=${provider.url}`])));
    try {
      await Promise.all(proxies.map(async (p, w) => {
        const jobs = [
          ...Array.from({ length: PER_WORKER }, (_, k) => ({ testId: `tests/integration/inference/test_w.py::test_${w}`, content: `w${w}-${k}` })),
          ...Array.from({ length: SHARED }, (_, k) => ({ testId: "tests/integration/inference/test_shared.py::test_s", content: `shared-${k}` })),
        ];
        await pool(jobs, IN_FLIGHT, async (j) => {
          const r = await fetch(`${p.url}/llama-cpp/v1/chat/completions`, {
            method: "POST",
            headers: { "content-type": "application/json", [TEST_ID_HEADER]: j.testId },
            body: JSON.stringify({ model: "tiny", messages: [{ role: "user", content: j.content }] }),
          });
          expect(r.status).toBe(200);
          await r.arrayBuffer();
        });
      }));
    } finally {
      await Promise.all(proxies.map((p) => p.stop()));
    }
    const names = readdirSync(join(dir, "inference"));
    expect(names.filter((n) => n.endsWith(".tmp"))).toEqual([]);
    expect(names.filter((n) => n.endsWith(".json"))).toHaveLength(WORKERS * PER_WORKER + SHARED);
    const v = runCli(["verify", "--dir", dir]);
    expect(v.out.trim().split("\n").at(-1)).toBe(`verified ${WORKERS * PER_WORKER + SHARED}, mismatched 0, unreadable 0; recorder 0.4`);
    expect(v.code).toBe(0);
  });
});
