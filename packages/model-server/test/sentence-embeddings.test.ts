import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMBEDDING_MODEL, embeddingModelPath, startModelServer } from "../src/index.js";
import { isCurrentConversion } from "../src/embedding-model.js";
import { startTestServer, type TestServer } from "./helpers.js";

const MODEL = EMBEDDING_MODEL.id;

/** Vectors of an implementation independent of llama.cpp (fixtures/minilm-reference.py, numpy). */
const REFERENCE = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "minilm-reference.json"), "utf8")) as {
  text: string;
  token_ids: number[];
  embedding: number[];
}[];

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe("all-MiniLM-L6-v2 on /v1/embeddings", () => {
  let t: TestServer;
  const embed = async (input: string | string[]): Promise<number[][]> => {
    const { status, json } = await t.post("/v1/embeddings", { model: MODEL, input });
    expect(status, JSON.stringify(json)).toBe(200);
    return json.data.map((d: { embedding: number[] }) => d.embedding);
  };
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("is set-up's pinned conversion", async () => {
    expect(await isCurrentConversion(embeddingModelPath()), `${embeddingModelPath()} is not the pinned conversion: run 'bash scripts/embedding-model.sh'`).toBe(true);
  });

  it("is listed next to the tiny model's ids", async () => {
    const models = (await (await fetch(`${t.server.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(["tiny-random-llama", "tiny-random-llama-embed", "tiny-random-llama-guard", MODEL]);
  });

  it("gives sentence-transformers' normalized mean-pooled vectors (384 dims)", async () => {
    const { json } = await t.post("/v1/embeddings", { model: MODEL, input: REFERENCE.map((r) => r.text) });
    expect(json.model).toBe(MODEL);
    REFERENCE.forEach((ref, i) => {
      const v = json.data[i].embedding as number[];
      expect(v).toHaveLength(EMBEDDING_MODEL.dimension);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      // Same direction as the reference (float32 in llama.cpp vs float64 in numpy).
      expect(dot(v, ref.embedding), ref.text).toBeGreaterThan(0.9999);
    });
    // [CLS] and [SEP] are counted, as the reference's token ids include them.
    expect(json.usage.prompt_tokens).toBe(REFERENCE.reduce((s, r) => s + r.token_ids.length, 0));
  });

  it("puts related sentences closer than unrelated ones", async () => {
    const [dog, puppy, market, question, python, paris, france] = await embed([
      "A dog is playing in the park",
      "A puppy runs on the grass",
      "The stock market fell sharply today",
      "What is Python used for?",
      "Python is a programming language for scripts and web servers",
      "Paris is the capital city",
      "France's government sits in its largest city",
    ]);
    expect(dot(dog!, puppy!)).toBeGreaterThan(dot(dog!, market!) + 0.2);
    expect(dot(question!, python!)).toBeGreaterThan(dot(question!, dog!) + 0.3);
    expect(dot(paris!, france!)).toBeGreaterThan(dot(paris!, market!));
    expect(dot(python!, question!)).toBeGreaterThan(dot(python!, paris!));
  });

  it("truncates inputs to 256 tokens as sentence-transformers does", async () => {
    const long = "the quick brown fox jumps over the lazy dog ".repeat(40);
    const [a, b] = await embed([long, `${long} and then something entirely different about finance`]);
    expect(a).toEqual(b);
    const { json } = await t.post("/v1/embeddings", { model: MODEL, input: long });
    expect(json.usage.prompt_tokens).toBe(EMBEDDING_MODEL.maxSeqLength);
  });

  it("embeds an input of only whitespace as [CLS] [SEP]", async () => {
    const { json } = await t.post("/v1/embeddings", { model: MODEL, input: "   " });
    expect(json.data[0].embedding).toHaveLength(EMBEDDING_MODEL.dimension);
    expect(json.usage.prompt_tokens).toBe(2);
  });

  it("embeds token ids of its own vocabulary and refuses others", async () => {
    const ref = REFERENCE[0]!;
    const [fromIds] = await embed(ref.token_ids.slice(1, -1) as unknown as string);
    expect(dot(fromIds!, ref.embedding)).toBeGreaterThan(0.9999);
    const bad = await t.post("/v1/embeddings", { model: MODEL, input: [30522] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.param).toBe("input");
  });

  it("refuses it for chat", async () => {
    const { status, json } = await t.post("/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: "hi" }] });
    expect(status).toBe(400);
    expect(json.error.message).toContain("does not support chat completions");
  });
});

describe("without the converted model", () => {
  it("refuses to start, naming the set-up step; --embedding-model none serves the tiny model only", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "no-embedding-model-"));
    try {
      await expect(startModelServer({ embeddingModelPath: path.join(dir, "missing.gguf") })).rejects.toThrow(/scripts\/setup\.sh/);
      const server = await startModelServer({ embeddingModelPath: null });
      try {
        const models = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: { id: string }[] };
        expect(models.data.map((m) => m.id)).not.toContain(MODEL);
      } finally {
        await server.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
