import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startHarness, type Harness } from "./server-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.provider.modelIds.push("discovered-model");
});
afterAll(async () => {
  await h.close();
});

interface OpenAIModel {
  id: string;
  object: string;
  owned_by: string;
  custom_metadata: Record<string, unknown>;
}

describe("models", () => {
  it("lists configured and discovered models in OpenAI format with provider-prefixed ids", async () => {
    const list = (await (await fetch(`${h.url}/v1/models`)).json()) as { data: OpenAIModel[] };
    const byId = new Map(list.data.map((m) => [m.id, m]));
    expect(byId.get("llama-cpp/tiny-random-llama")?.custom_metadata).toEqual({
      model_type: "llm",
      provider_id: "llama-cpp",
      provider_resource_id: "tiny-random-llama",
    });
    expect(byId.get("llama-cpp/tiny-random-llama-embed")?.custom_metadata).toEqual({
      model_type: "embedding",
      provider_id: "llama-cpp",
      provider_resource_id: "tiny-random-llama-embed",
      embedding_dimension: 64,
    });
    expect(byId.get("llama-cpp/tiny-random-llama")).toMatchObject({ object: "model", owned_by: "llama_stack" });
    expect(h.provider.requests.some((r) => r.method === "GET" && r.path === "/v1/models")).toBe(true);
  });

  it("gets a model whose id contains slashes and colons", async () => {
    await postJson(`${h.url}/v1/models`, { model_id: "org/name:3b", provider_id: "llama-cpp" });
    const res = await fetch(`${h.url}/v1/models/llama-cpp/org/name:3b`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      identifier: "llama-cpp/org/name:3b",
      provider_resource_id: "org/name:3b",
      provider_id: "llama-cpp",
      type: "model",
      owner: null,
      source: "via_register_api",
      metadata: {},
      model_type: "llm",
    });
  });

  it("refuses an embedding model without a dimension and an unknown provider", async () => {
    const noDim = await postJson(`${h.url}/v1/models`, { model_id: "e", provider_id: "llama-cpp", model_type: "embedding" });
    expect(noDim.status).toBe(400);
    expect(await noDim.json()).toEqual({ detail: "Invalid value: Embedding model must have an embedding dimension in its metadata" });
    const noProvider = await postJson(`${h.url}/v1/models`, { model_id: "m", provider_id: "ghost" });
    expect(noProvider.status).toBe(400);
    expect(await noProvider.json()).toEqual({ detail: "Invalid value: Provider `ghost` not found" });
  });

  it("404s an unknown model on get and delete", async () => {
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(`${h.url}/v1/models/llama-cpp/ghost`, { method });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ detail: "Model 'llama-cpp/ghost' not found. Use 'client.models.list()' to list available Models." });
    }
  });
});

describe("run config file", () => {
  it("substitutes env vars and drops providers whose id resolves to empty", async () => {
    const dir = mkdtempSync(join(tmpdir(), "embedded-stack-config-"));
    const configPath = join(dir, "run.yaml");
    writeFileSync(
      configPath,
      [
        "version: 2",
        "image_name: test",
        "providers:",
        "  inference:",
        "  - provider_id: ${env.FAKE_URL:+fake}",
        "    provider_type: remote::vllm",
        "    config:",
        "      base_url: ${env.FAKE_URL}",
        "      max_tokens: ${env.FAKE_MAX:=128}",
        "  - provider_id: ${env.ABSENT_URL:+absent}",
        "    provider_type: remote::ollama",
        "    config: {}",
        "registered_resources:",
        "  models:",
        "  - model_id: configured",
        "    provider_id: fake",
      ].join("\n"),
    );
    const other = await startHarness({ configPath, env: (p) => ({ FAKE_URL: p.baseUrl }) });
    try {
      const providers = (await (await fetch(`${other.url}/v1/providers`)).json()) as { data: { provider_id: string; config: Record<string, unknown> }[] };
      expect(providers.data.map((p) => p.provider_id)).toEqual(["fake"]);
      expect(providers.data[0]?.config.max_tokens).toBe(128);
      await postJson(`${other.url}/v1/chat/completions`, { model: "fake/configured", messages: [{ role: "user", content: "x" }] });
      const sent = other.provider.requests[other.provider.requests.length - 1];
      expect(sent?.body).toMatchObject({ model: "configured", max_tokens: 128 });
      const missing = await fetch(`${other.url}/v1/providers/ghost`);
      expect(missing.status).toBe(400);
      expect(await missing.json()).toEqual({ error: { detail: "Invalid value: Provider ghost not found" } });
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
