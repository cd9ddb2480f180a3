import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensureTinyModel, startModelServer, type ModelServerHandle } from "../src/index.js";

export interface TestServer {
  server: ModelServerHandle;
  post(route: string, body: unknown): Promise<{ status: number; json: any }>;
  postRaw(route: string, body: unknown): Promise<{ status: number; contentType: string | null; text: string }>;
  close(): Promise<void>;
}

/** A real model server on 127.0.0.1 serving the generated model from a temporary cache dir. */
export async function startTestServer(): Promise<TestServer> {
  const dir = await mkdtemp(path.join(tmpdir(), "model-server-test-"));
  const server = await startModelServer({ modelPath: await ensureTinyModel(dir), port: 0 });
  const postRaw = async (route: string, body: unknown) => {
    const res = await fetch(`${server.url}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, contentType: res.headers.get("content-type"), text: await res.text() };
  };
  return {
    server,
    postRaw,
    post: async (route, body) => {
      const res = await postRaw(route, body);
      return { status: res.status, json: JSON.parse(res.text) };
    },
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Parses an OpenAI SSE body; throws when the framing is wrong. */
export function parseSse(text: string): { events: any[]; done: boolean } {
  if (!text.endsWith("\n\n")) throw new Error(`SSE body does not end with a blank line: ${JSON.stringify(text.slice(-40))}`);
  const blocks = text.slice(0, -2).split("\n\n");
  const events: any[] = [];
  let done = false;
  for (const block of blocks) {
    if (!block.startsWith("data: ")) throw new Error(`SSE event without 'data: ' prefix: ${JSON.stringify(block)}`);
    if (done) throw new Error("SSE event after [DONE]");
    const data = block.slice("data: ".length);
    if (data === "[DONE]") done = true;
    else events.push(JSON.parse(data));
  }
  return { events, done };
}

export const PRINTABLE = /^[\x20-\x7e\n\t]*$/;
