/**
 * The body that is hashed and recorded for an incoming request. JSON bodies are kept as parsed
 * (number literals intact); multipart and binary bodies are reduced to content digests because
 * their raw bytes carry random boundaries and can be large.
 */
import { createHash } from "node:crypto";
import { parseJson, type JsonObject, type JsonValue } from "./json.js";

export class RequestBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RequestBodyError";
  }
}

function sha256(buf: Buffer): string {
  return createHash("sha256").update(buf).digest("hex");
}

function headerParam(header: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${name}="([^"]*)"`, "i").exec(header) ?? new RegExp(`(?:^|;)\\s*${name}=([^;]*)`, "i").exec(header);
  return m?.[1]?.trim();
}

/** Each part as {name, filename?, content_type?, sha256, size}; text fields also keep their value. */
export function multipartDigest(body: Buffer, contentType: string): JsonObject {
  const boundary = headerParam(contentType, "boundary");
  if (!boundary) throw new RequestBodyError("multipart body without a boundary parameter in Content-Type: send a well-formed multipart/form-data request");
  const delim = Buffer.from(`--${boundary}`);
  const parts: JsonValue[] = [];
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    let start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    if (body.subarray(start, start + 2).toString() === "\r\n") start += 2;
    const next = body.indexOf(delim, start);
    if (next < 0) break;
    let part = body.subarray(start, next);
    if (part.subarray(-2).toString() === "\r\n") part = part.subarray(0, -2);
    const headEnd = part.indexOf("\r\n\r\n");
    const head = headEnd >= 0 ? part.subarray(0, headEnd).toString("utf8") : "";
    const content = headEnd >= 0 ? part.subarray(headEnd + 4) : part;
    const headers = new Map(head.split("\r\n").filter(Boolean).map((l) => {
      const i = l.indexOf(":");
      return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()] as const;
    }));
    const disp = headers.get("content-disposition") ?? "";
    const entry: JsonObject = { name: headerParam(disp, "name") ?? "" };
    const filename = headerParam(disp, "filename");
    if (filename !== undefined) entry.filename = filename;
    const ct = headers.get("content-type");
    if (ct) entry.content_type = ct;
    if (filename === undefined && !ct) entry.value = content.toString("utf8");
    else {
      entry.sha256 = sha256(content);
      entry.size = content.length;
    }
    parts.push(entry);
    pos = next;
  }
  return { __multipart__: parts };
}

/** JSON → parsed value ({} when empty); multipart → part digests; anything else → content digest. */
export function hashableBody(body: Buffer, contentType: string | undefined): JsonValue {
  if (body.length === 0) return {};
  const ct = (contentType ?? "").toLowerCase();
  if (ct.startsWith("multipart/")) return multipartDigest(body, contentType ?? "");
  if (ct === "" || ct.includes("json")) {
    try {
      return parseJson(body.toString("utf8"));
    } catch (e) {
      if (ct.includes("json")) throw new RequestBodyError(`request body is not valid JSON (${(e as Error).message}): send valid JSON or the right Content-Type`);
    }
  }
  return { __binary__: { content_type: ct || "application/octet-stream", sha256: sha256(body), size: body.length } };
}
