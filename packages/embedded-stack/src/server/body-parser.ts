/**
 * Request bodies answered as upstream (FastAPI) answers them: malformed JSON is a 400 "JSON decode error"
 * at the offset; JSON nested deeper than Python's parser goes, or bytes that are not UTF-8, are FastAPI's
 * 400 "There was an error parsing the body"; a body of any other content type reaches validation as it
 * is (FastAPI validates it as a non-object), instead of Fastify's 415.
 */
import type { FastifyInstance } from "fastify";
import { BodyParseError } from "./errors.js";
import { jsonDecodeError } from "./validation.js";

/** Python's json module gives up near its recursion limit (1,000 frames); so does this parser, before JSON.parse or a schema recurses. */
export const MAX_JSON_DEPTH = 1000;

/** Deepest array/object nesting of a JSON text, outside strings; stops counting past the limit. */
function exceedsDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      return done(new BodyParseError(), undefined);
    }
    if (text.trim() === "") return done(null, undefined);
    if (exceedsDepth(text, MAX_JSON_DEPTH)) return done(new BodyParseError(), undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      const position = /position (\d+)/.exec((err as Error).message)?.[1];
      done(jsonDecodeError(position ? Number(position) : 0), undefined);
    }
  });
  // Any other content type: the raw text, which body validation rejects as not an object.
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));
}
