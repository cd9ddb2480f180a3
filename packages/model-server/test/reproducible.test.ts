/**
 * Re-recording an unchanged test must write the same bytes: the model's output is a function of the
 * request alone (not of a random seed or of the requests served before), and model lists carry a fixed
 * `created`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODELS_CREATED } from "../src/index.js";
import { startTestServer, type TestServer } from "./helpers.js";

let fresh: TestServer;
let used: TestServer;
beforeAll(async () => {
  fresh = await startTestServer();
  used = await startTestServer();
});
afterAll(async () => {
  await fresh.close();
  await used.close();
});

const CHAT = { model: "tiny-random-llama", messages: [{ role: "user", content: "Which planet has rings?" }] };
const COMPLETION = { model: "tiny-random-llama", prompt: "Once upon a time" };

async function nextSecond(): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  while (Math.floor(Date.now() / 1000) === now) await new Promise((r) => setTimeout(r, 20));
}

describe("reproducible output", () => {
  it("answers a request without a seed the same on a fresh server and after other requests", async () => {
    // Other work first on one server: other prompts, a seed, several choices, a stream, a grammar.
    await used.post("/v1/chat/completions", { ...CHAT, messages: [{ role: "user", content: "Something else entirely" }], seed: 7, n: 2 });
    await used.postRaw("/v1/chat/completions", { ...CHAT, stream: true, temperature: 1.5 });
    await used.post("/v1/completions", { ...COMPLETION, prompt: "A different start", max_tokens: 40 });
    await used.post("/v1/chat/completions", { ...CHAT, response_format: { type: "json_object" } });

    for (const [route, body] of [["/v1/chat/completions", CHAT], ["/v1/completions", COMPLETION]] as const) {
      const a = await fresh.post(route, body);
      // llama.cpp seeds an unseeded sampler from the clock in seconds: let it move.
      await nextSecond();
      const b = await used.post(route, body);
      expect(a.status).toBe(200);
      expect(b.json.choices, route).toEqual(a.json.choices);
    }
  });

  it("lists models with the same fixed created on every server", async () => {
    const lists = await Promise.all([fresh, used].map(async (s) => (await (await fetch(`${s.server.url}/v1/models`)).json()) as { data: { created: number }[] }));
    for (const list of lists) expect(list.data.map((m) => m.created)).toEqual(list.data.map(() => MODELS_CREATED));
  });
});
