import type { IncomingMessage } from "node:http";
import { gunzipSync } from "node:zlib";
import { OtlpRequestError } from "./errors.js";

/** Reads the whole body, refusing it once it passes `limit` bytes (before and after gunzip). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  return decompress(raw, req.headers["content-encoding"], limit);
}

function decompress(raw: Buffer, contentEncoding: string | undefined, limit: number): Buffer {
  const encoding = (contentEncoding ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "") return raw;
  if (encoding !== "gzip") throw new OtlpRequestError(415, `unsupported Content-Encoding "${encoding}" (expected gzip or none)`);
  try {
    return gunzipSync(raw, { maxOutputLength: limit });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(limit);
    throw new OtlpRequestError(400, `body is not valid gzip: ${(err as Error).message}`);
  }
}

function tooLarge(limit: number): OtlpRequestError {
  return new OtlpRequestError(413, `body exceeds the receiver's limit of ${limit} bytes`);
}
