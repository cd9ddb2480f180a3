/** Minimal GGUF v3 writer: header, typed KV metadata, tensor infos, aligned tensor data. */

export const GGUF_ALIGNMENT = 32;

const enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
}

export const enum GgmlType {
  F32 = 0,
}

export type GgufValue =
  | { type: "u32"; value: number }
  | { type: "i32"; value: number }
  | { type: "f32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "string[]"; value: readonly string[] }
  | { type: "i32[]"; value: readonly number[] }
  | { type: "f32[]"; value: readonly number[] };

export interface GgufTensor {
  name: string;
  /** GGML order: dims[0] is the innermost (contiguous) dimension. */
  dims: readonly number[];
  data: Float32Array;
}

/** Growable little-endian byte buffer. */
class ByteSink {
  private buf = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u32(v: number): void { this.reserve(4); this.buf.writeUInt32LE(v, this.length); this.length += 4; }
  i32(v: number): void { this.reserve(4); this.buf.writeInt32LE(v, this.length); this.length += 4; }
  u64(v: number): void { this.reserve(8); this.buf.writeBigUInt64LE(BigInt(v), this.length); this.length += 8; }
  f32(v: number): void { this.reserve(4); this.buf.writeFloatLE(v, this.length); this.length += 4; }
  u8(v: number): void { this.reserve(1); this.buf.writeUInt8(v, this.length); this.length += 1; }
  bytes(b: Uint8Array): void { this.reserve(b.length); this.buf.set(b, this.length); this.length += b.length; }
  string(s: string): void { const b = Buffer.from(s, "utf8"); this.u64(b.length); this.bytes(b); }
  pad(alignment: number): void { while (this.length % alignment !== 0) this.u8(0); }
  toBuffer(): Buffer { return this.buf.subarray(0, this.length); }
}

function writeValue(out: ByteSink, v: GgufValue): void {
  switch (v.type) {
    case "u32": out.u32(ValueType.UINT32); out.u32(v.value); return;
    case "i32": out.u32(ValueType.INT32); out.i32(v.value); return;
    case "f32": out.u32(ValueType.FLOAT32); out.f32(v.value); return;
    case "bool": out.u32(ValueType.BOOL); out.u8(v.value ? 1 : 0); return;
    case "string": out.u32(ValueType.STRING); out.string(v.value); return;
    case "string[]":
      out.u32(ValueType.ARRAY); out.u32(ValueType.STRING); out.u64(v.value.length);
      for (const s of v.value) out.string(s);
      return;
    case "i32[]":
      out.u32(ValueType.ARRAY); out.u32(ValueType.INT32); out.u64(v.value.length);
      for (const n of v.value) out.i32(n);
      return;
    case "f32[]":
      out.u32(ValueType.ARRAY); out.u32(ValueType.FLOAT32); out.u64(v.value.length);
      for (const n of v.value) out.f32(n);
      return;
  }
}

/** Serializes a complete GGUF v3 file (f32 tensors) into one buffer. */
export function encodeGguf(metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensor[]): Buffer {
  const out = new ByteSink();
  out.bytes(Buffer.from("GGUF", "ascii"));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(metadata.size);
  for (const [key, value] of metadata) {
    out.string(key);
    writeValue(out, value);
  }

  let offset = 0;
  for (const t of tensors) {
    const elements = t.dims.reduce((a, b) => a * b, 1);
    if (elements !== t.data.length) {
      throw new Error(`GGUF tensor ${t.name}: dims ${t.dims.join("x")} need ${elements} values, got ${t.data.length}`);
    }
    out.string(t.name);
    out.u32(t.dims.length);
    for (const d of t.dims) out.u64(d);
    out.u32(GgmlType.F32);
    out.u64(offset);
    offset += Math.ceil((elements * 4) / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  }
  out.pad(GGUF_ALIGNMENT);

  for (const t of tensors) {
    // Per-value writes keep the file little-endian regardless of host byte order.
    for (const x of t.data) out.f32(x);
    out.pad(GGUF_ALIGNMENT);
  }
  return out.toBuffer();
}
