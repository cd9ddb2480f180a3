import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envelopeErrorBodies } from "../src/openai-error-body.js";

describe("envelopeErrorBodies", () => {
  let server: http.Server;
  let client: OpenAI;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const body = req.url?.includes("detail")
        ? { detail: "Model 'nope' not found." }
        : { error: { message: "enveloped", type: "invalid_request_error" } };
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "x", maxRetries: 0, fetch: envelopeErrorBodies });
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("puts a {detail} body's text into the SDK's error message", async () => {
    const err = await client.get("/detail").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as Error).message).toContain("Model 'nope' not found.");
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(404);
  });

  it("leaves OpenAI's error envelope as it is", async () => {
    const err = await client.get("/enveloped").catch((e: unknown) => e);
    expect((err as Error).message).toBe("404 enveloped");
  });
});
