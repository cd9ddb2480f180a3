import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { RequestValidationError, parseQuery, route, type RouteModule, type ValidationIssue } from "../../server/index.js";
import { filesStoreOf } from "./context.js";
import { parseExpiresAfter } from "./expires-after.js";
import { FILE_PURPOSES, type FilePurpose, type NewFile, SORT_ORDERS } from "./types.js";

/** Uploads beyond this are refused (upstream sets no limit; the multipart parser needs one). */
const MAX_UPLOAD_BYTES = 1024 ** 3;

const listFilesQuery = z.object({
  after: z.string().optional(),
  limit: z.coerce.number().int().optional(),
  order: z.enum(SORT_ORDERS).optional(),
  purpose: z.enum(FILE_PURPOSES).optional(),
});

/** OpenAI Files API: multipart upload, list, retrieve, content, delete. */
export const registerFilesRoutes: RouteModule = async (app, ctx) => {
  const files = filesStoreOf(ctx);

  // Scoped so the multipart parser applies to the upload route only, whatever the app registers.
  await app.register(async (scope: FastifyInstance) => {
    if (!scope.hasContentTypeParser("multipart/form-data")) {
      await scope.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, fieldSize: MAX_UPLOAD_BYTES } });
    }
    route(scope, "POST", "/v1/files", async (req) => files.create(await readUpload(req)));
  });

  route(app, "GET", "/v1/files", (req) => files.list(parseQuery(listFilesQuery, req.query)));
  route(app, "GET", "/v1/files/{file_id}", (_req, _reply, p) => files.retrieve(p.file_id as string));
  route(app, "DELETE", "/v1/files/{file_id}", (_req, _reply, p) => files.delete(p.file_id as string));
  route(app, "GET", "/v1/files/{file_id}/content", (_req, reply, p) => {
    const { file, content } = files.content(p.file_id as string);
    return reply
      .header("content-type", "application/octet-stream")
      .header("content-disposition", contentDisposition(file.filename))
      .send(content);
  });
};

/**
 * Upstream's `attachment; filename="<name>"`. Names a latin-1 header cannot carry get an ASCII fallback
 * plus RFC 6266's UTF-8 `filename*` (upstream fails such responses with a 500).
 */
export function contentDisposition(filename: string): string {
  if (/^[\x20-\x7e\xa0-\xff]*$/.test(filename)) return `attachment; filename="${filename}"`;
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Reads `file`, `purpose` and `expires_after` from the form, reporting bad fields as upstream's 400. */
async function readUpload(request: FastifyRequest): Promise<NewFile> {
  const fields = new Map<string, string>();
  let upload: { filename: string; content: Buffer } | undefined;
  if (request.isMultipart()) {
    for await (const part of request.parts()) {
      if (part.type === "file") {
        const content = await part.toBuffer();
        if (part.fieldname === "file") upload = { filename: part.filename || "uploaded_file", content };
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
  return {
    filename: upload.filename,
    purpose: purpose as FilePurpose,
    content: upload.content,
    expiresAfter: parseExpiresAfter(fields),
  };
}
