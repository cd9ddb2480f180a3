/** JSON body parsing with upstream's answer to a malformed body: 400 "JSON decode error" at the offset. */
import type { FastifyInstance } from "fastify";
import { jsonDecodeError } from "./validation.js";

export function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      const position = /position (\d+)/.exec((err as Error).message)?.[1];
      done(jsonDecodeError(position ? Number(position) : 0), undefined);
    }
  });
}
