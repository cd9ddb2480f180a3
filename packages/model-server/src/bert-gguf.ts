/**
 * Converts a sentence-transformers BERT checkpoint (config.json, model.safetensors with f32 tensors,
 * tokenizer.json with a WordPiece vocabulary) into a GGUF file llama.cpp embeds with: architecture
 * "bert", mean pooling. Deterministic: the same checkpoint gives the same bytes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { encodeGguf, type GgufTensor, type GgufValue } from "./gguf-writer.js";

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckpointError";
  }
}

interface BertConfig {
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  max_position_embeddings: number;
  layer_norm_eps: number;
  type_vocab_size: number;
}

interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Tensors of a .safetensors file as f32 arrays, by name. */
export function readSafetensors(file: string): Map<string, { shape: number[]; data: Float32Array }> {
  const buf = readFileSync(file);
  const headerLength = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + headerLength).toString("utf8")) as Record<string, SafetensorsEntry>;
  const base = 8 + headerLength;
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, entry] of Object.entries(header)) {
    // position_ids is an index buffer, not a weight.
    if (name === "__metadata__" || name.endsWith("position_ids")) continue;
    if (entry.dtype !== "F32") throw new CheckpointError(`${file}: tensor ${name} is ${entry.dtype}; only F32 checkpoints convert`);
    const [start, end] = entry.data_offsets;
    const bytes = buf.subarray(base + start, base + end);
    const data = new Float32Array(bytes.length / 4);
    // Per-value reads: safetensors is little-endian whatever the host's byte order.
    for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(i * 4);
    tensors.set(name.replace(/^bert\./, ""), { shape: entry.shape, data });
  }
  return tensors;
}

/** HF BERT tensor names -> llama.cpp's. */
function ggufName(name: string): string | null {
  const fixed: Record<string, string> = {
    "embeddings.word_embeddings.weight": "token_embd.weight",
    "embeddings.position_embeddings.weight": "position_embd.weight",
    "embeddings.token_type_embeddings.weight": "token_types.weight",
    "embeddings.LayerNorm.weight": "token_embd_norm.weight",
    "embeddings.LayerNorm.bias": "token_embd_norm.bias",
  };
  if (fixed[name]) return fixed[name]!;
  const m = /^encoder\.layer\.(\d+)\.(.+)\.(weight|bias)$/.exec(name);
  if (!m) return null; // pooler and position ids: unused by mean pooling
  const part: Record<string, string> = {
    "attention.self.query": "attn_q",
    "attention.self.key": "attn_k",
    "attention.self.value": "attn_v",
    "attention.output.dense": "attn_output",
    "attention.output.LayerNorm": "attn_output_norm",
    "intermediate.dense": "ffn_up",
    "output.dense": "ffn_down",
    "output.LayerNorm": "layer_output_norm",
  };
  const mapped = part[m[2]!];
  return mapped ? `blk.${m[1]}.${mapped}.${m[3]}` : null;
}

/** llama.cpp token types. */
const NORMAL = 1;
const CONTROL = 3;

/** WordPiece vocabulary in llama.cpp's form: word starts carry the phantom space "▁", "##" continuations lose it. */
function wordPieceVocab(tokenizerFile: string): { tokens: string[]; types: number[]; ids: Record<string, number> } {
  const tokenizer = JSON.parse(readFileSync(tokenizerFile, "utf8")) as {
    model: { type: string; vocab: Record<string, number> };
    added_tokens?: { id: number; content: string; special?: boolean }[];
  };
  if (tokenizer.model.type !== "WordPiece") throw new CheckpointError(`${tokenizerFile}: a ${tokenizer.model.type} tokenizer; only WordPiece (BERT) converts`);
  const byId = Object.entries(tokenizer.model.vocab).sort((a, b) => a[1] - b[1]);
  const special = new Set((tokenizer.added_tokens ?? []).filter((t) => t.special).map((t) => t.content));
  const tokens = byId.map(([t]) => (special.has(t) ? t : t.startsWith("##") ? t.slice(2) : `\u2581${t}`));
  const types = byId.map(([t]) => (special.has(t) ? CONTROL : NORMAL));
  return { tokens, types, ids: tokenizer.model.vocab };
}

/** The GGUF bytes of the checkpoint in `dir` (config.json, tokenizer.json, model.safetensors), named `name`. */
export function bertCheckpointToGguf(dir: string, name: string): Buffer {
  const config = JSON.parse(readFileSync(path.join(dir, "config.json"), "utf8")) as BertConfig;
  const vocab = wordPieceVocab(path.join(dir, "tokenizer.json"));
  const id = (token: string): number => {
    const v = vocab.ids[token];
    if (v === undefined) throw new CheckpointError(`${dir}: the vocabulary has no ${token}`);
    return v;
  };
  const metadata = new Map<string, GgufValue>([
    ["general.architecture", { type: "string", value: "bert" }],
    ["general.name", { type: "string", value: name }],
    ["general.file_type", { type: "u32", value: 0 }],
    ["bert.context_length", { type: "u32", value: config.max_position_embeddings }],
    ["bert.embedding_length", { type: "u32", value: config.hidden_size }],
    ["bert.feed_forward_length", { type: "u32", value: config.intermediate_size }],
    ["bert.block_count", { type: "u32", value: config.num_hidden_layers }],
    ["bert.attention.head_count", { type: "u32", value: config.num_attention_heads }],
    ["bert.attention.layer_norm_epsilon", { type: "f32", value: config.layer_norm_eps }],
    ["bert.attention.causal", { type: "bool", value: false }],
    // sentence-transformers' Pooling module of these checkpoints: the mean over tokens.
    ["bert.pooling_type", { type: "u32", value: 1 }],
    ["tokenizer.ggml.model", { type: "string", value: "bert" }],
    ["tokenizer.ggml.tokens", { type: "string[]", value: vocab.tokens }],
    ["tokenizer.ggml.token_type", { type: "i32[]", value: vocab.types }],
    ["tokenizer.ggml.token_type_count", { type: "u32", value: config.type_vocab_size }],
    ["tokenizer.ggml.unknown_token_id", { type: "u32", value: id("[UNK]") }],
    ["tokenizer.ggml.seperator_token_id", { type: "u32", value: id("[SEP]") }],
    ["tokenizer.ggml.padding_token_id", { type: "u32", value: id("[PAD]") }],
    ["tokenizer.ggml.cls_token_id", { type: "u32", value: id("[CLS]") }],
    ["tokenizer.ggml.mask_token_id", { type: "u32", value: id("[MASK]") }],
  ]);
  const tensors: GgufTensor[] = [];
  for (const [hfName, t] of [...readSafetensors(path.join(dir, "model.safetensors"))].sort((a, b) => a[0].localeCompare(b[0]))) {
    const gguf = ggufName(hfName);
    if (!gguf) continue;
    // GGML lists dimensions innermost first: the reverse of the row-major shape.
    tensors.push({ name: gguf, dims: [...t.shape].reverse(), data: t.data });
  }
  return encodeGguf(metadata, tensors);
}
