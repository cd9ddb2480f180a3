import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStackPool, type StackPool } from "../src/index.js";
import { startFakeProvider, type FakeProvider } from "./server-fake-provider.js";

const TOKEN = "{{STACK_NAME}}";
let provider: FakeProvider;
let dataDir: string;
let pool: StackPool;

beforeAll(async () => {
  provider = await startFakeProvider();
  dataDir = mkdtempSync(join(tmpdir(), "embedded-pool-"));
  // The provider sees which stack called it through the name in the path.
  const env = { LLAMA_CPP_URL: provider.baseUrl.replace(/\/v1$/, `/~${TOKEN}/v1`) };
  pool = await startStackPool({ dataDir, key: "run-key-1", env, nameToken: TOKEN, log: () => {} });
});
afterAll(async () => {
  await pool?.close();
  await provider?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function acquire(name: string): Promise<{ id: string; url: string }> {
  const res = await fetch(`${pool.url}/pool/stacks`, { method: "POST", body: JSON.stringify({ name }) });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; url: string };
}

describe("stack pool", () => {
  it("reports the key it was started with", async () => {
    const res = await fetch(`${pool.url}/pool`);
    expect(await res.json()).toMatchObject({ key: "run-key-1" });
  });

  it("gives each client a stack of its own: what one stores the other does not see", async () => {
    const a = await acquire("files");
    const b = await acquire("vector_io");
    expect(a.url).not.toBe(b.url);
    const form = new FormData();
    form.append("purpose", "assistants");
    form.append("file", new Blob(["hello"]), "a.txt");
    expect((await fetch(`${a.url}/v1/files`, { method: "POST", body: form })).status).toBe(200);
    const list = async (url: string) => ((await (await fetch(`${url}/v1/files`)).json()) as { data: unknown[] }).data.length;
    expect(await list(a.url)).toBe(1);
    expect(await list(b.url)).toBe(0);
    expect(readdirSync(dataDir).sort()).toEqual([a.id, b.id].sort());

    // Releasing one closes it and removes its data; the other still serves.
    expect((await fetch(`${pool.url}/pool/stacks/${a.id}`, { method: "DELETE" })).status).toBe(204);
    expect(existsSync(join(dataDir, a.id))).toBe(false);
    await expect(fetch(`${a.url}/v1/health`)).rejects.toThrow();
    expect(await list(b.url)).toBe(0);
    expect((await fetch(`${pool.url}/pool/stacks/${b.id}`, { method: "DELETE" })).status).toBe(204);
  });

  it("puts each stack's name into its env where the token stands", async () => {
    const s = await acquire("inference");
    provider.requests.length = 0;
    await fetch(`${s.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "llama-cpp/tiny-random-llama", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(provider.requests.map((r) => r.path)).toContain("/~inference/v1/chat/completions");
    await fetch(`${pool.url}/pool/stacks/${s.id}`, { method: "DELETE" });
  });

  it("refuses a bad name and an unknown stack with a 4xx naming the problem", async () => {
    const bad = await fetch(`${pool.url}/pool/stacks`, { method: "POST", body: JSON.stringify({ name: "../x" }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("name:");
    const unknown = await fetch(`${pool.url}/pool/stacks/nope-1`, { method: "DELETE" });
    expect(unknown.status).toBe(404);
  });

  it("closes every stack it still holds and removes their data dirs when it closes", async () => {
    const own = mkdtempSync(join(tmpdir(), "embedded-pool-close-"));
    try {
      const p = await startStackPool({ dataDir: own, key: "k", env: {}, log: () => {} });
      const res = await fetch(`${p.url}/pool/stacks`, { method: "POST", body: JSON.stringify({ name: "a" }) });
      const { url } = (await res.json()) as { url: string };
      expect(readdirSync(own)).toHaveLength(1);
      await p.close();
      expect(readdirSync(own)).toEqual([]);
      await expect(fetch(`${url}/v1/health`)).rejects.toThrow();
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
