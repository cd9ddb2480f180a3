/**
 * Upstream reference files (images) are read at run time from ../shared next to the repository,
 * never copied into it; callers skip with a reason when the tree is absent.
 */
import { existsSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { upstreamDir } from "@llama-stack-tests/stack";

/** Absolute path of `relPath` under the shared upstream tree, or undefined when it is missing. */
export function sharedUpstreamFile(relPath: string): string | undefined {
  const path = join(upstreamDir(), relPath);
  return existsSync(path) ? path : undefined;
}

const MIME_BY_EXT: Record<string, string> = { ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png" };

export function dataUrlFromFile(path: string): string {
  const mime = MIME_BY_EXT[extname(path).toLowerCase()];
  if (mime === undefined) throw new Error(`cannot tell the MIME type of ${path}: expected .jpg, .jpeg or .png`);
  return `data:${mime};base64,${readFileSync(path).toString("base64")}`;
}
