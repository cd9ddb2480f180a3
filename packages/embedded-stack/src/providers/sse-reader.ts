/** Reads an OpenAI-style SSE body (`data: <json>` lines, terminated by `[DONE]`) as parsed objects. */
import type { Readable } from "node:stream";

export async function* readSseJson(body: Readable): AsyncGenerator<Record<string, unknown>> {
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let boundary: number;
      while ((boundary = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, boundary).replace(/\r$/, "");
        buffer = buffer.slice(boundary + 1);
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") return;
        if (data) yield JSON.parse(data) as Record<string, unknown>;
      }
    }
  } finally {
    // Stops the upstream stream when the client went away or [DONE] arrived early.
    body.destroy();
  }
}
