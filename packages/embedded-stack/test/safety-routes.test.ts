import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startHarness, type Harness } from "./server-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // The fake guard model flags any conversation that mentions "kill".
  h.provider.answer = (body) => {
    const messages = body.messages as { content: string }[];
    return messages.some((m) => m.content.includes("kill")) ? "unsafe\nS1" : "safe";
  };
});
afterAll(async () => {
  await h.close();
});

describe("shields", () => {
  it("lists the default llama-guard shield and gets it by id", async () => {
    const list = (await (await fetch(`${h.url}/v1/shields`)).json()) as { data: { identifier: string; provider_resource_id: string }[] };
    expect(list.data.map((s) => [s.identifier, s.provider_resource_id])).toEqual([["llama-guard", "llama-cpp/tiny-random-llama-guard"]]);
    const shield = await (await fetch(`${h.url}/v1/shields/llama-guard`)).json();
    expect(shield).toMatchObject({ identifier: "llama-guard", provider_id: "llama-guard", type: "shield", params: {} });
  });

  it("registers and unregisters a shield; an unknown one is a 400 as upstream", async () => {
    const created = await postJson(`${h.url}/v1/shields`, { shield_id: "org/guard", provider_shield_id: "llama-cpp/tiny-random-llama" });
    expect(created.status).toBe(200);
    expect((await fetch(`${h.url}/v1/shields/org/guard`)).status).toBe(200);
    expect((await fetch(`${h.url}/v1/shields/org/guard`, { method: "DELETE" })).status).toBe(204);
    const gone = await fetch(`${h.url}/v1/shields/org/guard`);
    expect(gone.status).toBe(400);
    expect(await gone.json()).toEqual({ detail: "Invalid value: Shield 'org/guard' not found" });
  });
});

describe("run-shield", () => {
  it("prompts the guard model with upstream's template at temperature 0 and passes safe content", async () => {
    const res = await postJson(`${h.url}/v1/safety/run-shield`, {
      shield_id: "llama-guard",
      messages: [{ role: "user", content: "What is the capital of France?" }],
      params: {},
    });
    expect(await res.json()).toEqual({ violation: null });
    const sent = h.provider.requests[h.provider.requests.length - 1]?.body as { model: string; temperature: number; stream: boolean; messages: { role: string; content: string }[] };
    expect(sent.model).toBe("tiny-random-llama-guard");
    expect(sent.temperature).toBe(0);
    expect(sent.stream).toBe(false);
    const prompt = sent.messages[0]?.content ?? "";
    expect(prompt.startsWith("Task: Check if there is unsafe content in 'User' messages in conversations according our safety policy")).toBe(true);
    expect(prompt).toContain("categories.\n\n<BEGIN UNSAFE CONTENT CATEGORIES>\nS1: Violent Crimes.\nS2: Non-Violent Crimes.");
    expect(prompt).toContain("S14: Code Interpreter Abuse.\n<END UNSAFE CONTENT CATEGORIES>");
    expect(prompt).toContain("<BEGIN CONVERSATION>\n\nUser: What is the capital of France?\n\n<END CONVERSATION>\n\nProvide");
    expect(prompt.endsWith(" - If unsafe, a second line must include a comma-separated list of violated categories.")).toBe(true);
  });

  it("returns a violation with the category code for unsafe content", async () => {
    const res = await postJson(`${h.url}/v1/safety/run-shield`, {
      shield_id: "llama-guard",
      messages: [{ role: "user", content: "How do I kill someone?" }],
      params: {},
    });
    expect(await res.json()).toEqual({
      violation: { violation_level: "error", user_message: "I can't answer that. Can I help with something else?", metadata: { violation_type: "S1" } },
    });
  });

  it("answers an unknown shield with upstream's 400", async () => {
    const res = await postJson(`${h.url}/v1/safety/run-shield`, { shield_id: "ghost", messages: [{ role: "user", content: "x" }], params: {} });
    expect(res.status).toBe(400);
  });
});

describe("moderations", () => {
  it("maps an unsafe verdict to OpenAI's moderation object", async () => {
    const res = await postJson(`${h.url}/v1/moderations`, { input: ["I will kill you"], model: "llama-cpp/tiny-random-llama-guard" });
    const body = (await res.json()) as { id: string; model: string; results: Record<string, unknown>[] };
    expect(body.id).toMatch(/^modr-/);
    expect(body.model).toBe("llama-cpp/tiny-random-llama-guard");
    const result = body.results[0] as { flagged: boolean; categories: Record<string, boolean>; category_scores: Record<string, number>; category_applied_input_types: Record<string, string[]>; user_message: string; metadata: unknown };
    expect(result.flagged).toBe(true);
    expect(result.categories["Violent Crimes"]).toBe(true);
    expect(result.categories.Hate).toBe(false);
    expect(result.category_scores["Violent Crimes"]).toBe(1.0);
    expect(result.category_scores.Hate).toBe(0.0);
    expect(result.category_applied_input_types["Violent Crimes"]).toEqual(["text"]);
    expect(result.metadata).toEqual({ violation_type: ["S1"] });
  });

  it("returns an unflagged object for safe input", async () => {
    const res = await postJson(`${h.url}/v1/moderations`, { input: "hello there", model: "llama-cpp/tiny-random-llama-guard" });
    const body = (await res.json()) as { results: { flagged: boolean; user_message: unknown; metadata: unknown }[] };
    expect(body.results[0]).toMatchObject({ flagged: false, user_message: null, metadata: {} });
  });

  it("requires a model that a shield uses when no default shield is configured", async () => {
    const unknown = await postJson(`${h.url}/v1/moderations`, { input: "x", model: "other" });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      detail: "Invalid value: No shield associated with provider_resource id other: choose from ['llama-cpp/tiny-random-llama-guard']",
    });
    const none = await postJson(`${h.url}/v1/moderations`, { input: "x" });
    expect(none.status).toBe(400);
  });
});
