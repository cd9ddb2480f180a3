import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamOpenAI } from "../src/context.js";

let server: http.Server;
let baseURL: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.writeHead(400, { "content-type": "application/json" });
    // Llama Stack's error shape on one path, OpenAI's on the other.
    res.end(req.url?.includes("detail") ? JSON.stringify({ detail: "Invalid max_tool_calls=0; should be >= 1" }) : JSON.stringify({ error: { message: "bad model" } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function messageOf(path: string): Promise<string> {
  const client = new UpstreamOpenAI({ baseURL: `${baseURL}/${path}`, apiKey: "fake", maxRetries: 0 });
  try {
    await client.models.list();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a 400");
}

describe("UpstreamOpenAI", () => {
  it("keeps a body without `error` in the message, as Python's SDK does", async () => {
    expect(await messageOf("detail")).toBe('400 {"detail":"Invalid max_tool_calls=0; should be >= 1"}');
  });

  it("leaves OpenAI-shaped errors as the SDK reads them", async () => {
    expect(await messageOf("openai")).toBe("400 bad model");
  });
});
