import type { IncomingMessage } from "node:http";
import { gunzipSync } from "node:zlib";
import { OtlpRequestError } from "./errors.js";

/**
 * Reads the whole body, refusing it once it passes `limit` bytes (before and after gunzip).
 * An oversized stream is drained rather than destroyed, so the client still gets its 413.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("error", reject);
    req.on("end", () => {
      if (size > limit) return reject(tooLarge(limit));
      try {
        resolve(decompress(Buffer.concat(chunks), req.headers["content-encoding"], limit));
      } catch (err) {
        reject(err);
      }
    });
  });
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
