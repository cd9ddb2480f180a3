import { extname } from "node:path";

/** Extension -> MIME type for what file search can read; mirrors Python's mimetypes defaults. */
const MIME_BY_EXTENSION: Record<string, string> = {
  ".txt": "text/plain",
  ".text": "text/plain",
  ".log": "text/plain",
  ".md": "text/markdown",
  ".markdown": "text/markdown",
  ".csv": "text/csv",
  ".tsv": "text/tab-separated-values",
  ".html": "text/html",
  ".htm": "text/html",
  ".css": "text/css",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".py": "text/x-python",
  ".xml": "text/xml",
  ".c": "text/x-c",
  ".h": "text/x-c",
  ".json": "application/json",
  ".pdf": "application/pdf",
};

export function guessMimeType(filename: string): string | undefined {
  return MIME_BY_EXTENSION[extname(filename).toLowerCase()];
}

/**
 * The text of an uploaded file, as upstream extracts it: text/* is decoded (UTF-8, else Latin-1), a PDF's
 * pages are extracted and joined with newlines, anything else yields "" (so the file fails with "No
 * chunks were generated"). PDF text comes from pdf.js (unpdf), whose spacing differs from upstream's
 * pypdf: the same PDF chunks into other text than on the Python stack.
 */
export async function textFromFile(data: Buffer, mimeType: string | undefined): Promise<string> {
  if (mimeType?.startsWith("text/")) {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(data);
    } catch {
      return data.toString("latin1");
    }
  }
  if (mimeType === "application/pdf") {
    const { extractText, getDocumentProxy } = await import("unpdf");
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(data)), { mergePages: false });
    return text.join("\n");
  }
  return "";
}
