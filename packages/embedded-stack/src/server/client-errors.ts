/**
 * Requests Fastify refuses before any route runs, answered in upstream's plain `{"detail": ...}` body
 * (as Starlette answers what it refuses before routing) instead of Fastify's own error JSON: a URL it
 * cannot decode (400), a path parameter beyond the router's limit (414), and, on the raw socket, a
 * request line plus headers beyond Node's limit (431) or a request HTTP cannot parse (400).
 */
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyReply, FastifyRequest } from "fastify";

export function frameworkErrors(err: Error & { statusCode?: number }, _req: FastifyRequest, reply: FastifyReply): void {
  void reply.code(err.statusCode ?? 400).send({ detail: err.message });
}

const SOCKET_ERRORS: Record<string, [status: number, detail: string]> = {
  HPE_HEADER_OVERFLOW: [431, "Request line and headers exceed the server's limit; send a shorter URL or fewer headers"],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "Request not completed in time"],
};

export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  const [status, detail] = SOCKET_ERRORS[err.code ?? ""] ?? [400, "Invalid HTTP request received."];
  const body = JSON.stringify({ detail });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}
