/**
 * Server-sent events as upstream frames them: `data: <json>\n\n` per item, no `[DONE]` sentinel,
 * and an error raised mid-stream (or before the first item) sent as a final `{"error": {"message"}}` frame.
 */
import type { FastifyReply } from "fastify";
import { httpErrorString, toHttpError } from "./errors.js";

export function sseFrame(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/**
 * Takes over the reply and streams `produce()`'s items. `produce` is awaited inside the stream, so
 * errors it throws (unknown model, provider failure) become an error frame with status 200, as upstream.
 */
export async function sendSse(
  reply: FastifyReply,
  produce: () => Promise<AsyncIterable<unknown>> | AsyncIterable<unknown>,
): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  let closed = false;
  res.on("close", () => {
    closed = true;
  });
  let iterator: AsyncIterator<unknown> | undefined;
  try {
    const iterable = await produce();
    iterator = iterable[Symbol.asyncIterator]();
    for (;;) {
      if (closed) {
        await iterator.return?.();
        break;
      }
      const next = await iterator.next();
      if (next.done) break;
      if (!res.write(sseFrame(next.value))) await waitDrain(res);
    }
  } catch (err) {
    if (!closed) res.write(sseFrame({ error: { message: httpErrorString(toHttpError(err)) } }));
  } finally {
    res.end();
  }
}

function waitDrain(res: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
