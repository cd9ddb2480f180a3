import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, sseData, startHarness, type Harness } from "./server-harness.js";

const RECORDINGS = join(import.meta.dirname, "../../../../shared/llama-stack-upstream/tests/integration/inference/recordings");

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: (p) => ({ LLAMA_CPP_URL: p.baseUrl, OLLAMA_URL: p.baseUrl, VLLM_URL: p.baseUrl }) });
});
afterAll(async () => {
  await h.close();
});

const MODEL = "llama-cpp/tiny-random-llama";

function lastSent(): { path: string; body: Record<string, unknown> | null; headers: Record<string, unknown> } {
  const r = h.provider.requests[h.provider.requests.length - 1];
  if (!r) throw new Error("the fake provider received nothing");
  return r;
}

describe("chat completions", () => {
  it("sends the provider model id, drops nulls, nests unknown keys under extra_body", async () => {
    const res = await postJson(`${h.url}/v1/chat/completions`, {
      model: MODEL,
      messages: [{ role: "user", content: "hi", name: null }],
      temperature: 0,
      max_tokens: null,
      tools: [{ type: "function", function: { name: "f", parameters: {}, strict: null } }],
      tool_choice: "auto",
      guided_choice: ["a", "b"],
    });
    expect(res.status).toBe(200);
    const sent = lastSent();
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.body).toEqual({
      model: "tiny-random-llama",
      messages: [{ role: "user", content: "hi" }],
      temperature: 0,
      tools: [{ type: "function", function: { name: "f", parameters: {}, strict: null } }],
      tool_choice: "auto",
      extra_body: { guided_choice: ["a", "b"] },
    });
    const body = (await res.json()) as { model: string; choices: { message: { tool_calls: unknown } }[] };
    expect(body.model).toBe(MODEL);
    expect(body.choices[0]?.message.tool_calls).toBeNull();
  });

  it("clears tools when tool_choice is none and rejects tool_choice without tools", async () => {
    await postJson(`${h.url}/v1/chat/completions`, {
      model: MODEL,
      messages: [{ role: "user", content: "hi" }],
      tools: [{ type: "function", function: { name: "f" } }],
      tool_choice: "none",
    });
    expect(lastSent().body).toEqual({ model: "tiny-random-llama", messages: [{ role: "user", content: "hi" }] });
    const res = await postJson(`${h.url}/v1/chat/completions`, { model: MODEL, messages: [{ role: "user", content: "hi" }], tool_choice: "auto" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ detail: "Invalid value: 'tool_choice' is only allowed when 'tools' is also provided" });
  });

  it("coerces lax values as pydantic does before sending them", async () => {
    await postJson(`${h.url}/v1/chat/completions`, { model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: "12", logprobs: 1, temperature: "0.5" });
    expect(lastSent().body).toEqual({ model: "tiny-random-llama", messages: [{ role: "user", content: "hi" }], max_tokens: 12, logprobs: true, temperature: 0.5 });
  });

  it("inlines http image parts for Ollama, as upstream's adapter downloads them", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const images = createServer((_req, res) => res.writeHead(200, { "content-type": "image/png" }).end(png));
    await new Promise<void>((resolve) => images.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(images.address() as AddressInfo).port}/dog.png`;
      const content = [{ type: "text", text: "what is this?" }, { type: "image_url", image_url: { url } }];
      await postJson(`${h.url}/v1/chat/completions`, { model: "ollama/llava", messages: [{ role: "user", content }] });
      const sent = lastSent().body as { messages: { content: { image_url?: { url: string } }[] }[] };
      expect(sent.messages[0]?.content[1]?.image_url?.url).toBe(`data:image/png;base64,${png.toString("base64")}`);
      // Other providers get the URL untouched.
      await postJson(`${h.url}/v1/chat/completions`, { model: MODEL, messages: [{ role: "user", content }] });
      expect((lastSent().body as typeof sent).messages[0]?.content[1]?.image_url?.url).toBe(url);
    } finally {
      images.close();
    }
  });

  it("applies vLLM's defaults: max_tokens 4096", async () => {
    await postJson(`${h.url}/v1/chat/completions`, { model: "vllm/Qwen/Qwen3-0.6B", messages: [{ role: "user", content: "hi" }], stream: false });
    expect(lastSent().body).toEqual({ model: "Qwen/Qwen3-0.6B", messages: [{ role: "user", content: "hi" }], max_tokens: 4096, stream: false });
  });

  it("streams with stream_options passed to the provider and the usage chunk relayed", async () => {
    const res = await postJson(`${h.url}/v1/chat/completions`, {
      model: MODEL,
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(lastSent().body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const chunks = sseData(await res.text()).map((f) => JSON.parse(f) as { usage?: unknown; choices: unknown[] });
    expect(chunks[chunks.length - 1]?.usage).toEqual({ prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 });
  });

  it("rejects an unknown model with upstream's message and an embedding model with a 400 naming the type", async () => {
    const missing = await postJson(`${h.url}/v1/chat/completions`, { model: "nobody/x", messages: [{ role: "user", content: "hi" }] });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: "Model 'nobody/x' not found. Use 'client.models.list()' to list available Models." });
    const wrongType = await postJson(`${h.url}/v1/chat/completions`, { model: "llama-cpp/tiny-random-llama-embed", messages: [{ role: "user", content: "hi" }] });
    expect(wrongType.status).toBe(400);
    expect(await wrongType.json()).toEqual({ detail: "Model 'llama-cpp/tiny-random-llama-embed' is of type 'embedding' rather than the expected type 'llm'" });
  });

  it("stores completions (streamed and not) and lists/gets them", async () => {
    const marker = `store-${Date.now()}`;
    const a = (await (await postJson(`${h.url}/v1/chat/completions`, { model: MODEL, messages: [{ role: "user", content: marker }] })).json()) as { id: string };
    const got = (await (await fetch(`${h.url}/v1/chat/completions/${a.id}`)).json()) as Record<string, unknown>;
    expect(got).toMatchObject({ id: a.id, object: "chat.completion", model: MODEL, input_messages: [{ role: "user", content: marker }] });
    expect((got.choices as { message: { content: string } }[])[0]?.message.content).toBe("Hello from the fake provider");

    await (await postJson(`${h.url}/v1/chat/completions`, { model: MODEL, messages: [{ role: "user", content: marker }], stream: true })).text();
    const streamed = (await (await fetch(`${h.url}/v1/chat/completions/chatcmpl-fake-stream`)).json()) as { choices: { message: { content: string } }[] };
    expect(streamed.choices[0]?.message.content).toBe("Hello from the fake provider");

    const list = (await (await fetch(`${h.url}/v1/chat/completions?limit=1&order=desc&model=${encodeURIComponent(MODEL)}`)).json()) as {
      object: string; data: { id: string }[]; has_more: boolean; first_id: string; last_id: string;
    };
    expect(list.object).toBe("list");
    expect(list.data.length).toBe(1);
    expect(list.has_more).toBe(true);
    const next = (await (await fetch(`${h.url}/v1/chat/completions?limit=100&after=${list.last_id}`)).json()) as { data: { id: string }[] };
    expect(next.data.map((d) => d.id)).not.toContain(list.last_id);

    const missing = await fetch(`${h.url}/v1/chat/completions/nope`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ detail: "Invalid value: Chat completion with id nope not found" });
  });
});

describe("completions and embeddings", () => {
  it("sends completions with the provider model id and returns the public one", async () => {
    const res = await postJson(`${h.url}/v1/completions`, { model: MODEL, prompt: "Roses are", stop: ["\n"], max_tokens: 5 });
    expect(lastSent().body).toEqual({ model: "tiny-random-llama", prompt: "Roses are", stop: ["\n"], max_tokens: 5 });
    expect(((await res.json()) as { model: string }).model).toBe(MODEL);
  });

  it("sends embeddings with encoding_format float by default and reshapes the answer", async () => {
    const res = await postJson(`${h.url}/v1/embeddings`, { model: "llama-cpp/tiny-random-llama-embed", input: ["a", "b"], dimensions: 64 });
    expect(lastSent().body).toEqual({ model: "tiny-random-llama-embed", input: ["a", "b"], encoding_format: "float", dimensions: 64 });
    const body = (await res.json()) as { object: string; model: string; data: { embedding: number[]; index: number }[]; usage: unknown };
    expect(body.object).toBe("list");
    expect(body.model).toBe("llama-cpp/tiny-random-llama-embed");
    expect(body.data.map((d) => d.index)).toEqual([0, 1]);
    expect(body.data[0]?.embedding.length).toBe(64);
    expect(body.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
  });
});

describe("rerank", () => {
  it("answers 501 for a rerank model (no OpenAI-compatible provider reranks), as upstream, and 400 for an llm", async () => {
    await postJson(`${h.url}/v1/models`, { model_id: "reranker", provider_id: "llama-cpp", model_type: "rerank" });
    const res = await postJson(`${h.url}/v1alpha/inference/rerank`, { model: "llama-cpp/reranker", query: "q", items: ["a", "b"] });
    expect(res.status).toBe(501);
    expect(await res.json()).toEqual({ detail: "Not implemented: Reranking is not implemented" });
    const llm = await postJson(`${h.url}/v1alpha/inference/rerank`, { model: MODEL, query: "q", items: ["a"] });
    expect(llm.status).toBe(400);
  });
});

describe("fidelity with upstream's provider bodies", () => {
  const files = existsSync(RECORDINGS) ? readdirSync(RECORDINGS).filter((f) => f.endsWith(".json")) : [];
  const cases = files
    .map((f) => JSON.parse(readFileSync(join(RECORDINGS, f), "utf8")) as { request: { url: string; endpoint?: string; body: Record<string, unknown> } })
    .filter((r) => r.request.url.includes(":11434/v1/v1/") && r.request.endpoint && !("extra_body" in r.request.body));
  it.skipIf(cases.length === 0)(`re-sends ollama request bodies unchanged (${cases.length} recordings; skipped when ../shared is absent)`, async () => {
    for (const { request } of cases) {
      const body = request.body;
      await (await postJson(`${h.url}${request.endpoint}`, { ...body, model: `ollama/${String(body.model)}` })).text();
      expect(lastSent().body).toEqual(body);
    }
  });
});
