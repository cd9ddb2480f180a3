import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUARD_FLAG_MARKER, GUARD_VERDICT_PATTERN } from "../src/guard-grammar.js";
import { parseSse, startTestServer, type TestServer } from "./helpers.js";

const GUARD = "tiny-random-llama-guard";
const guardPrompt = (text: string) => [
  { role: "user", content: `Task: Check if there is unsafe content in 'User' messages.\n\nUser: ${text}\n\nProvide your safety assessment.` },
];

describe("tiny-random-llama-guard", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("answers only well-formed Llama Guard verdicts, across seeds", async () => {
    const verdicts: string[] = [];
    for (let seed = 0; seed < 12; seed++) {
      const res = await t.post("/v1/chat/completions", { model: GUARD, messages: guardPrompt(`message ${seed}`), seed });
      expect(res.status).toBe(200);
      expect(res.json.model).toBe(GUARD);
      expect(res.json.choices[0].finish_reason).toBe("stop");
      verdicts.push(res.json.choices[0].message.content);
    }
    for (const v of verdicts) expect(v).toMatch(GUARD_VERDICT_PATTERN);
  });

  it("flags a conversation carrying the marker as unsafe (S1), and only that one", async () => {
    const flagged = await t.post("/v1/chat/completions", { model: GUARD, messages: guardPrompt(`hello ${GUARD_FLAG_MARKER}`), temperature: 0 });
    expect(flagged.json.choices[0].message.content).toBe("unsafe\nS1");
    const plain = await t.post("/v1/chat/completions", { model: GUARD, messages: guardPrompt("hello"), temperature: 0 });
    expect(plain.json.choices[0].message.content).toMatch(GUARD_VERDICT_PATTERN);
    expect(plain.json.choices[0].message.content).not.toBe("unsafe\nS1");
  });

  it("streams a verdict as one piece", async () => {
    const res = await t.postRaw("/v1/chat/completions", { model: GUARD, messages: guardPrompt("hi"), seed: 3, stream: true });
    expect(res.status).toBe(200);
    const { events, done } = parseSse(res.text);
    expect(done).toBe(true);
    const text = events.map((e) => e.choices[0]?.delta?.content ?? "").join("");
    expect(text).toMatch(GUARD_VERDICT_PATTERN);
  });

  it("rejects tools and response_format, and text completions or embeddings, naming the fix", async () => {
    const tools = await t.post("/v1/chat/completions", {
      model: GUARD,
      messages: guardPrompt("x"),
      response_format: { type: "json_object" },
    });
    expect(tools.status).toBe(400);
    expect(tools.json.error.message).toContain("only answers Llama Guard verdicts");
    const completion = await t.post("/v1/completions", { model: GUARD, prompt: "x" });
    expect(completion.status).toBe(400);
    expect(completion.json.error.message).toContain("does not support text completions; use 'tiny-random-llama'");
    const embed = await t.post("/v1/embeddings", { model: GUARD, input: "x" });
    expect(embed.status).toBe(400);
  });

  it("the pattern accepts Llama Guard's shapes and rejects others", () => {
    for (const ok of ["safe", "unsafe\nS1", "unsafe\nS14", "unsafe\nS2,S10,S3"]) expect(ok).toMatch(GUARD_VERDICT_PATTERN);
    for (const bad of ["unsafe", "unsafe\nS15", "unsafe\nS0", "safe\n", "unsafe\nS1,", "unsafe\nS1,S2,S3,S4"]) {
      expect(bad).not.toMatch(GUARD_VERDICT_PATTERN);
    }
  });
});
