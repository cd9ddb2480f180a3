import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../src/repo-root.js";
import { parseSse, startTestServer, type TestServer } from "./helpers.js";

/**
 * Sends one request of every distinct shape that Llama Stack sent to its providers in the
 * upstream recordings (model swapped for ours, output shortened) and expects a well-formed answer.
 */
const upstream = path.join(repoRoot(), "..", "shared", "llama-stack-upstream", "tests", "integration");
const ENDPOINTS = ["/v1/chat/completions", "/v1/completions", "/v1/embeddings"];

interface Sample {
  file: string;
  endpoint: string;
  body: Record<string, any>;
}

function shape(endpoint: string, body: Record<string, any>): string {
  const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
  const parts = messages.map((m) => `${m.role}:${Array.isArray(m.content) ? m.content.map((p: any) => p.type).join("+") : typeof m.content}:${m.tool_calls ? "calls" : ""}`);
  return JSON.stringify([
    endpoint, Object.keys(body).sort(), [...new Set(parts)].sort(), body.tool_choice ?? null, body.response_format?.type ?? null,
    Array.isArray(body.input) ? "list" : typeof body.input,
  ]);
}

function samples(): Sample[] {
  const byShape = new Map<string, Sample>();
  for (const api of readdirSync(upstream).sort()) {
    const dir = path.join(upstream, api, "recordings");
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith(".json")) continue;
      const request = JSON.parse(readFileSync(path.join(dir, name), "utf8")).request;
      // Upstream also sent one completions request with `messages` and no prompt; that one must fail.
      if (!ENDPOINTS.includes(request?.endpoint) || !request.body || (request.endpoint === "/v1/completions" && !request.body.prompt)) continue;
      const key = shape(request.endpoint, request.body);
      if (!byShape.has(key)) byShape.set(key, { file: `${api}/${name}`, endpoint: request.endpoint, body: request.body });
    }
  }
  return [...byShape.values()];
}

const available = existsSync(upstream);

describe.skipIf(!available)(`upstream request shapes (needs ${path.relative(repoRoot(), upstream)})`, () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(available ? samples() : [])("$endpoint $file", async ({ endpoint, body }) => {
    const embed = endpoint === "/v1/embeddings";
    const request: Record<string, unknown> = { ...body, model: embed ? "tiny-random-llama-embed" : "tiny-random-llama" };
    if (!embed) request.max_tokens = 3;
    delete request.dimensions;
    const res = await t.postRaw(endpoint, request);
    expect(res.status, res.text).toBe(200);
    if (body.stream) {
      const { events, done } = parseSse(res.text);
      expect(done).toBe(true);
      expect(events.some((e) => e.error)).toBe(false);
      return;
    }
    const json = JSON.parse(res.text);
    const object = { "/v1/chat/completions": "chat.completion", "/v1/completions": "text_completion", "/v1/embeddings": "list" }[endpoint];
    expect(json.object).toBe(object);
  });
});
