import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { afterAll, describe, expect, it } from "vitest";
import { bertCheckpointToGguf, CheckpointError } from "../src/bert-gguf.js";
import { convertEmbeddingModel } from "../src/embedding-model.js";
import { sha256 } from "../src/tiny-model.js";

/** A BERT checkpoint small enough to write here: 1 layer, hidden 8, 2 heads, seeded weights. */
const H = 8;
const FF = 16;
const POSITIONS = 16;
const VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "dog", "park", "##s", "a", "."];

function writeCheckpoint(dir: string, dtype = "F32"): void {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.2;
  const shapes: Record<string, number[]> = {
    "embeddings.word_embeddings.weight": [VOCAB.length, H],
    "embeddings.position_embeddings.weight": [POSITIONS, H],
    "embeddings.token_type_embeddings.weight": [2, H],
    "embeddings.LayerNorm.weight": [H],
    "embeddings.LayerNorm.bias": [H],
  };
  for (const [part, out, inn] of [
    ["attention.self.query", H, H],
    ["attention.self.key", H, H],
    ["attention.self.value", H, H],
    ["attention.output.dense", H, H],
    ["intermediate.dense", FF, H],
    ["output.dense", H, FF],
  ] as const) {
    shapes[`encoder.layer.0.${part}.weight`] = [out, inn];
    shapes[`encoder.layer.0.${part}.bias`] = [out];
  }
  for (const norm of ["attention.output.LayerNorm", "output.LayerNorm"]) {
    shapes[`encoder.layer.0.${norm}.weight`] = [H];
    shapes[`encoder.layer.0.${norm}.bias`] = [H];
  }
  const header: Record<string, unknown> = {};
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, shape] of Object.entries(shapes)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = Buffer.alloc(n * 4);
    for (let i = 0; i < n; i++) data.writeFloatLE(name.includes("LayerNorm.weight") ? 1 : random(), i * 4);
    header[name] = { dtype, shape, data_offsets: [offset, offset + data.length] };
    chunks.push(data);
    offset += data.length;
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(path.join(dir, "model.safetensors"), Buffer.concat([length, json, ...chunks]));
  writeFileSync(
    path.join(dir, "config.json"),
    JSON.stringify({ hidden_size: H, intermediate_size: FF, num_hidden_layers: 1, num_attention_heads: 2, max_position_embeddings: POSITIONS, layer_norm_eps: 1e-12, type_vocab_size: 2 }),
  );
  writeFileSync(
    path.join(dir, "tokenizer.json"),
    JSON.stringify({
      model: { type: "WordPiece", vocab: Object.fromEntries(VOCAB.map((t, i) => [t, i])) },
      added_tokens: VOCAB.slice(0, 5).map((content, id) => ({ id, content, special: true })),
    }),
  );
}

describe("BERT checkpoint -> GGUF", () => {
  const dirs: string[] = [];
  const checkpoint = (dtype?: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), "bert-ckpt-"));
    dirs.push(dir);
    writeCheckpoint(dir, dtype);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("gives the same bytes for the same checkpoint, and llama.cpp embeds with it (mean pooling, hidden size)", async () => {
    const a = checkpoint();
    const gguf = bertCheckpointToGguf(a, "tiny-bert");
    expect(sha256(bertCheckpointToGguf(checkpoint(), "tiny-bert"))).toBe(sha256(gguf));
    const file = path.join(a, "tiny-bert.gguf");
    writeFileSync(file, gguf);
    const llama = await getLlama({ gpu: false, build: "never", maxThreads: 1, logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: file });
    try {
      expect(model.fileInfo.metadata.general.architecture).toBe("bert");
      // 1 = mean: sentence-transformers' Pooling module of these checkpoints.
      expect((model.fileInfo.metadata as unknown as { bert: { pooling_type: number } }).bert.pooling_type).toBe(1);
      // WordPiece: "parks" is "park" + "##s"; the phantom space marks word starts.
      expect(model.tokenize("the dog parks.")).toEqual([5, 6, 7, 8, 10]);
      const context = await model.createEmbeddingContext({ contextSize: POSITIONS, threads: 1 });
      const { vector } = await context.getEmbeddingFor("the dog parks.");
      expect(vector).toHaveLength(H);
      expect(vector.every(Number.isFinite)).toBe(true);
      await context.dispose();
    } finally {
      await model.dispose();
      await llama.dispose();
    }
  });

  it("refuses tensors that are not f32", () => {
    expect(() => bertCheckpointToGguf(checkpoint("F16"), "x")).toThrow(CheckpointError);
    expect(() => bertCheckpointToGguf(checkpoint("F16"), "x")).toThrow(/is F16; only F32 checkpoints convert/);
  });

  it("converts for serving only upstream's all-MiniLM-L6-v2 weights", async () => {
    const dir = checkpoint();
    await expect(convertEmbeddingModel(dir, path.join(dir, "out.gguf"))).rejects.toThrow(/not all-MiniLM-L6-v2's 53aa5117/);
  });
});
