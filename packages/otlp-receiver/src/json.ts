import { OtlpRequestError, OtlpShapeError } from "./errors.js";
import type { WireDialect } from "./wire.js";

const HEX = /^[0-9a-fA-F]*$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** OTLP/JSON writes trace and span ids as hex (not proto3 JSON's base64) and other bytes as base64. */
export const jsonDialect: WireDialect = {
  id(value, path) {
    if (typeof value !== "string" || !HEX.test(value) || value.length % 2 !== 0) throw new OtlpShapeError(path, "expected a hex string");
    return value.toLowerCase();
  },
  bytes(value, path) {
    if (typeof value !== "string" || !BASE64.test(value)) throw new OtlpShapeError(path, "expected a base64 string");
    return Uint8Array.from(Buffer.from(value, "base64"));
  },
};

export function decodeJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"));
  } catch (err) {
    throw new OtlpRequestError(400, `body is not valid JSON: ${(err as Error).message}`);
  }
}
