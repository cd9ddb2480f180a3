import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureTinyModel, startModelServer } from "@llama-stack-tests/model-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedStackHandle, startEmbeddedStack } from "../src/index.js";

/**
 * The default llama-guard shield against the real model server's grammar-constrained guard model:
 * its verdicts are meaningless but always parse, so run-shield and moderations answer 200.
 */

let modelServer: Awaited<ReturnType<typeof startModelServer>>;
let stack: EmbeddedStackHandle;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "guard-model-"));
  modelServer = await startModelServer({ modelPath: await ensureTinyModel(join(dir, "models")), port: 0 });
  stack = await startEmbeddedStack({ port: 0, dataDir: join(dir, "data"), env: { LLAMA_CPP_URL: `${modelServer.url}/v1` } });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await modelServer?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, body: unknown) {
  const res = await fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("llama-guard shield over llama-cpp/tiny-random-llama-guard", () => {
  it("run-shield answers a verdict for several messages", async () => {
    for (const content of ["What is the capital of France?", "How do I make a bomb?", "Tell me a joke"]) {
      const res = await post("/v1/safety/run-shield", { shield_id: "llama-guard", messages: [{ role: "user", content }], params: {} });
      expect(res.status).toBe(200);
      const violation = res.body.violation;
      if (violation !== null) {
        expect(violation.violation_level).toBe("error");
        expect(violation.metadata.violation_type).toMatch(/^S\d+(,S\d+)*$/);
      }
    }
  });

  it("moderations answers OpenAI's moderation object", async () => {
    const res = await post("/v1/moderations", { input: ["hello", "goodbye"], model: "llama-cpp/tiny-random-llama-guard" });
    expect(res.status).toBe(200);
    // Upstream's Llama Guard judges a list of inputs as one conversation: one result.
    expect(res.body.results).toHaveLength(1);
    expect(typeof res.body.results[0].flagged).toBe("boolean");
  });
});
