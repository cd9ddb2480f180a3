import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the provider test doubles see it: the whole body read, the query stripped. */
export interface TestExchange {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The request body as text ("" when empty). */
  raw: string;
  res: ServerResponse;
  /** Sends a JSON answer with the given status. */
  reply(status: number, payload: unknown): void;
}

export interface LoopbackServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  origin: string;
  close(): Promise<void>;
}

/**
 * The node:http plumbing shared by the provider test doubles: a real server on 127.0.0.1 with a
 * free port, each request handed over once its body has arrived.
 */
export async function startLoopbackJsonServer(handle: (exchange: TestExchange) => void): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      handle({
        method: req.method ?? "",
        path: (req.url ?? "").replace(/\?.*$/, ""),
        headers: req.headers,
        raw: Buffer.concat(chunks).toString("utf8"),
        res,
        reply: (status, payload) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(payload));
        },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
