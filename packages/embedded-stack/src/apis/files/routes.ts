import { createReadStream } from "node:fs";
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { BodyParseError, HttpError, RequestValidationError, parseQuery, pyInt, route, type RouteModule, type ValidationIssue } from "../../server/index.js";
import { filesStoreOf } from "./context.js";
import { parseExpiresAfter } from "./expires-after.js";
import type { FilesStore } from "./store.js";
import { FILE_PURPOSES, type FilePurpose, type OpenAIFileObject, SORT_ORDERS, type StagedContent } from "./types.js";

/** Uploads beyond this are refused (upstream sets no limit; the multipart parser needs one). */
const MAX_UPLOAD_BYTES = 1024 ** 3;
/** Form fields other than the file are held in memory: Starlette's limit for them (longer values are cut, then fail validation). */
const MAX_FIELD_BYTES = 1024 ** 2;

const listFilesQuery = z.object({
  after: z.string().optional(),
  limit: pyInt().optional(),
  order: z.enum(SORT_ORDERS).optional(),
  purpose: z.enum(FILE_PURPOSES).optional(),
});

/** OpenAI Files API: multipart upload, list, retrieve, content, delete. */
export const registerFilesRoutes: RouteModule = async (app, ctx) => {
  const files = filesStoreOf(ctx);

  // Scoped so the multipart parser applies to the upload route only, whatever the app registers.
  await app.register(async (scope: FastifyInstance) => {
    if (!scope.hasContentTypeParser("multipart/form-data")) {
      await scope.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, fieldSize: MAX_FIELD_BYTES } });
    }
    route(scope, "POST", "/v1/files", (req) => upload(req, files));
  });

  route(app, "GET", "/v1/files", (req) => files.list(parseQuery(listFilesQuery, req.query)));
  route(app, "GET", "/v1/files/{file_id}", (_req, _reply, p) => files.retrieve(p.file_id as string));
  route(app, "DELETE", "/v1/files/{file_id}", (_req, _reply, p) => files.delete(p.file_id as string));
  route(app, "GET", "/v1/files/{file_id}/content", (_req, reply, p) => {
    const { file, path } = files.contentPath(p.file_id as string);
    return reply
      .header("content-type", "application/octet-stream")
      .header("content-disposition", contentDisposition(file.filename))
      .send(createReadStream(path));
  });
};

/**
 * Upstream's `attachment; filename="<name>"`. Names a latin-1 quoted string cannot carry as they are
 * (non-latin-1 characters, which upstream fails with a 500, or a quote or backslash, which would end
 * the quoted name and let the rest read as further parameters) get an ASCII fallback plus RFC 6266's
 * UTF-8 `filename*`.
 */
export function contentDisposition(filename: string): string {
  if (/^[\x20-\x7e\xa0-\xff]*$/.test(filename) && !/["\\]/.test(filename)) return `attachment; filename="${filename}"`;
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(filename).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A multipart form the parser could not read is FastAPI's 400; limits (413) keep their status. */
function multipartError(err: unknown): unknown {
  if (err instanceof HttpError || typeof (err as { statusCode?: unknown }).statusCode === "number") return err;
  if (/boundary/i.test((err as Error).message ?? "")) return new BodyParseError("Missing boundary in multipart.");
  return new BodyParseError();
}

/**
 * Reads `file`, `purpose` and `expires_after` from the form, the file streamed to disk as it arrives,
 * and stores it; bad fields are upstream's 400, and a refused upload leaves nothing behind.
 */
async function upload(request: FastifyRequest, files: FilesStore): Promise<OpenAIFileObject> {
  const fields = new Map<string, string>();
  let upload: { filename: string; content: StagedContent } | undefined;
  try {
    if (request.isMultipart()) {
      for await (const part of request.parts()) {
        if (part.type === "file") {
          if (part.fieldname === "file" && !upload) upload = { filename: part.filename || "uploaded_file", content: await files.stage(part.file) };
          else part.file.resume();
        } else if (typeof part.value === "string") {
          fields.set(part.fieldname, part.value);
        }
      }
    }
    const issues: ValidationIssue[] = [];
    if (!upload) issues.push({ loc: ["body", "file"], msg: "Field required", type: "missing" });
    const purpose = fields.get("purpose");
    if (purpose === undefined) issues.push({ loc: ["body", "purpose"], msg: "Field required", type: "missing" });
    else if (!(FILE_PURPOSES as readonly string[]).includes(purpose)) {
      issues.push({ loc: ["body", "purpose"], msg: "Input should be 'assistants' or 'batch'", type: "enum" });
    }
    if (issues.length > 0 || !upload) throw new RequestValidationError(issues);
    return files.create({
      filename: upload.filename,
      purpose: purpose as FilePurpose,
      content: upload.content,
      expiresAfter: parseExpiresAfter(fields),
    });
  } catch (err) {
    if (upload) files.discard(upload.content);
    throw multipartError(err);
  }
}
