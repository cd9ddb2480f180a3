/** Upstream's error envelope `{"error": {"detail": ...}}` for every failure, and FastAPI's 404 for unknown routes. */
import type { FastifyInstance } from "fastify";
import { toHttpError } from "./errors.js";

export function installErrorHandling(app: FastifyInstance, log: (message: string) => void): void {
  app.setErrorHandler((err, req, reply) => {
    const shape = toHttpError(err);
    if (shape.statusCode >= 500) log(`${req.method} ${req.url} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    void reply.code(shape.statusCode).send({ error: { detail: shape.detail } });
  });
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send({ detail: "Not Found" });
  });
}
