import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { getLlama, LlamaLogLevel, readGgufFileInfo } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTinyModel, ensureTinyModel, TINY_MODEL } from "../src/index.js";
import { sha256 } from "../src/tiny-model.js";

describe("generated tiny GGUF", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tiny-gguf-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is byte-for-byte deterministic across builds and writes", async () => {
    expect(sha256(buildTinyModel())).toBe(sha256(buildTinyModel()));
    const a = path.join(dir, "a");
    const b = path.join(dir, "b");
    const fileA = await ensureTinyModel(a);
    const fileB = await ensureTinyModel(b);
    expect(path.basename(fileA)).toBe("tiny-random-llama.gguf");
    expect(sha256(await readFile(fileA))).toBe(sha256(await readFile(fileB)));
    // Calling again keeps the same file and leaves no temporary files behind.
    await ensureTinyModel(a);
    expect(await readdir(a)).toEqual(["tiny-random-llama.gguf"]);
  });

  it("is GGUF v3 with the llama metadata and tensors llama.cpp requires", async () => {
    const file = await ensureTinyModel(path.join(dir, "meta"));
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 4).toString("ascii")).toBe("GGUF");
    expect(bytes.readUInt32LE(4)).toBe(3);

    const info = await readGgufFileInfo(file, { readTensorInfo: true });
    const md = info.metadata as any;
    expect(md.general.architecture).toBe("llama");
    expect(md.llama.embedding_length).toBe(64);
    expect(md.llama.block_count).toBe(TINY_MODEL.nLayer);
    expect(md.tokenizer.ggml.model).toBe("llama");
    expect(md.tokenizer.ggml.tokens).toHaveLength(260);
    expect(md.tokenizer.chat_template).toContain("<|im_start|>");
    const names = new Set(info.fullTensorInfo?.map((t) => t.name));
    for (const name of ["token_embd.weight", "output_norm.weight", "output.weight", "blk.1.attn_q.weight", "blk.1.ffn_down.weight"]) {
      expect(names.has(name), name).toBe(true);
    }
    const params = info.fullTensorInfo!.reduce((sum, t) => sum + t.dimensions.reduce((a: number, d) => a * Number(d), 1), 0);
    expect(params).toBeGreaterThan(90_000);
    expect(params).toBeLessThan(150_000);
  });

  it("loads in llama.cpp and round-trips printable ASCII through its tokenizer", async () => {
    const llama = await getLlama({ gpu: false, build: "never", maxThreads: 1, logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: await ensureTinyModel(path.join(dir, "load")) });
    try {
      let ascii = "";
      for (let c = 0x20; c <= 0x7e; c++) ascii += String.fromCharCode(c);
      const text = `${ascii}\nline two\ttab  double space`;
      expect(model.detokenize(model.tokenize(text))).toBe(text);
      expect(model.embeddingVectorSize).toBe(64);
    } finally {
      await model.dispose();
    }
  });
});
