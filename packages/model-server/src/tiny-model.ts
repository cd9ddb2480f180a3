import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { encodeGguf, type GgufTensor, type GgufValue } from "./gguf-writer.js";
import { repoRoot } from "./repo-root.js";

export const TINY_MODEL_NAME = "tiny-random-llama";

/** Shape of the generated model; embedding dimension 64 is part of the package contract. */
export const TINY_MODEL = {
  fileName: `${TINY_MODEL_NAME}.gguf`,
  nEmbd: 64,
  nLayer: 2,
  nHead: 4,
  nFf: 128,
  contextLength: 8192,
  seed: 0x5eed_11a3,
} as const;

/** llama.cpp token types (llama_token_type). */
const TOKEN_TYPE = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 } as const;

/** SentencePiece's whitespace marker; llama.cpp maps spaces to it before lookup. */
const SPM_SPACE = "\u2581";

const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export interface TinyVocab {
  tokens: string[];
  types: number[];
  /** Token ids whose decoded text is printable ASCII (0x20..0x7e). */
  printable: number[];
}

/**
 * SPM ("llama") vocabulary with byte fallback: <unk>, <s>, </s>, 256 byte tokens and the
 * whitespace marker (without it spaces would decode as "▁" bytes instead of " ").
 */
export function tinyVocab(): TinyVocab {
  const tokens = ["<unk>", "<s>", "</s>"];
  const types: number[] = [TOKEN_TYPE.UNKNOWN, TOKEN_TYPE.CONTROL, TOKEN_TYPE.CONTROL];
  const printable: number[] = [];
  for (let b = 0; b < 256; b++) {
    if (b >= 0x20 && b <= 0x7e) printable.push(tokens.length);
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(TOKEN_TYPE.BYTE);
  }
  printable.push(tokens.length);
  tokens.push(SPM_SPACE);
  types.push(TOKEN_TYPE.NORMAL);
  return { tokens, types, printable };
}

/** mulberry32: tiny seeded PRNG so every run writes identical bytes. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussianSource(seed: number): (std: number, n: number) => Float32Array {
  const rand = seededRandom(seed);
  return (std, n) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      // Box-Muller; 1 - u keeps log() away from 0.
      const u = 1 - rand();
      const v = rand();
      out[i] = std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
    return out;
  };
}

function ones(n: number): Float32Array {
  return new Float32Array(n).fill(1);
}

/** Builds the full GGUF file in memory. */
export function buildTinyModel(): Buffer {
  const { nEmbd, nLayer, nHead, nFf, contextLength, seed } = TINY_MODEL;
  const vocab = tinyVocab();
  const nVocab = vocab.tokens.length;
  const gauss = gaussianSource(seed);

  // Output rows of non-printable tokens are zero and printable rows are large, so after the
  // final RMS norm printable tokens dominate the logits and sampled text stays readable.
  const output = new Float32Array(nEmbd * nVocab);
  const printable = new Set(vocab.printable);
  for (let tok = 0; tok < nVocab; tok++) {
    const row = gauss(printable.has(tok) ? 1 : 0, nEmbd);
    output.set(row, tok * nEmbd);
  }

  const tensors: GgufTensor[] = [
    { name: "token_embd.weight", dims: [nEmbd, nVocab], data: gauss(1, nEmbd * nVocab) },
    { name: "output_norm.weight", dims: [nEmbd], data: ones(nEmbd) },
    { name: "output.weight", dims: [nEmbd, nVocab], data: output },
  ];
  const std = 1 / Math.sqrt(nEmbd);
  for (let i = 0; i < nLayer; i++) {
    tensors.push(
      { name: `blk.${i}.attn_norm.weight`, dims: [nEmbd], data: ones(nEmbd) },
      { name: `blk.${i}.attn_q.weight`, dims: [nEmbd, nEmbd], data: gauss(std, nEmbd * nEmbd) },
      { name: `blk.${i}.attn_k.weight`, dims: [nEmbd, nEmbd], data: gauss(std, nEmbd * nEmbd) },
      { name: `blk.${i}.attn_v.weight`, dims: [nEmbd, nEmbd], data: gauss(std, nEmbd * nEmbd) },
      { name: `blk.${i}.attn_output.weight`, dims: [nEmbd, nEmbd], data: gauss(std, nEmbd * nEmbd) },
      { name: `blk.${i}.ffn_norm.weight`, dims: [nEmbd], data: ones(nEmbd) },
      { name: `blk.${i}.ffn_gate.weight`, dims: [nEmbd, nFf], data: gauss(std, nEmbd * nFf) },
      { name: `blk.${i}.ffn_up.weight`, dims: [nEmbd, nFf], data: gauss(std, nEmbd * nFf) },
      { name: `blk.${i}.ffn_down.weight`, dims: [nFf, nEmbd], data: gauss(1 / Math.sqrt(nFf), nFf * nEmbd) },
    );
  }

  const md = new Map<string, GgufValue>([
    ["general.architecture", { type: "string", value: "llama" }],
    ["general.name", { type: "string", value: TINY_MODEL_NAME }],
    ["general.file_type", { type: "u32", value: 0 }],
    ["llama.context_length", { type: "u32", value: contextLength }],
    ["llama.embedding_length", { type: "u32", value: nEmbd }],
    ["llama.block_count", { type: "u32", value: nLayer }],
    ["llama.feed_forward_length", { type: "u32", value: nFf }],
    ["llama.attention.head_count", { type: "u32", value: nHead }],
    ["llama.attention.head_count_kv", { type: "u32", value: nHead }],
    ["llama.attention.layer_norm_rms_epsilon", { type: "f32", value: 1e-5 }],
    ["llama.rope.dimension_count", { type: "u32", value: nEmbd / nHead }],
    ["llama.rope.freq_base", { type: "f32", value: 10000 }],
    ["llama.vocab_size", { type: "u32", value: nVocab }],
    ["tokenizer.ggml.model", { type: "string", value: "llama" }],
    ["tokenizer.ggml.tokens", { type: "string[]", value: vocab.tokens }],
    ["tokenizer.ggml.scores", { type: "f32[]", value: vocab.tokens.map(() => 0) }],
    ["tokenizer.ggml.token_type", { type: "i32[]", value: vocab.types }],
    ["tokenizer.ggml.bos_token_id", { type: "u32", value: 1 }],
    ["tokenizer.ggml.eos_token_id", { type: "u32", value: 2 }],
    ["tokenizer.ggml.unknown_token_id", { type: "u32", value: 0 }],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: true }],
    ["tokenizer.ggml.add_eos_token", { type: "bool", value: false }],
    ["tokenizer.ggml.add_space_prefix", { type: "bool", value: false }],
    ["tokenizer.chat_template", { type: "string", value: CHATML_TEMPLATE }],
  ]);
  return encodeGguf(md, tensors);
}

export function defaultModelCacheDir(): string {
  return path.join(repoRoot(), ".cache", "models");
}

/** Writes the tiny model (if missing or different) atomically and returns its path. */
export async function ensureTinyModel(cacheDir: string = defaultModelCacheDir()): Promise<string> {
  const file = path.join(cacheDir, TINY_MODEL.fileName);
  const bytes = buildTinyModel();
  const existing = await readFile(file).catch(() => null);
  if (existing && sha256(existing) === sha256(bytes)) return file;

  await mkdir(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new Error(`Could not write the tiny model to ${file}: ${(err as Error).message}. Check that ${cacheDir} is writable or pass another cacheDir.`);
  }
  return file;
}

export function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
