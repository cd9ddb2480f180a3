import { describe, expect, it } from "vitest";
import { client, textModel } from "../setup.js";

// Test ids of the recordings these requests replay (the project's own recordings of the embedded setup).
const CHAT = "tests/integration/inference/test_openai_completion.py::test_openai_chat_completion_non_streaming";
const STREAM = "tests/integration/inference/test_openai_completion.py::test_openai_chat_completion_streaming";
const params = (id: string) => `[client_with_models-txt=${textModel()}-inference:chat_completion:${id}]`;

describe("chat completions through llama-stack-client", () => {
  it("answers a non-streaming chat completion", async () => {
    const c = client(CHAT + params("non_streaming_01"));
    const response = await c.chat.completions.create({ model: textModel(), messages: [{ role: "user", content: "Which planet do humans live on?" }], stream: false });
    expect(response.object).toBe("chat.completion");
    expect(response.choices[0]?.message.content?.length).toBeGreaterThan(0);
  });

  it("streams a chat completion as chunks", async () => {
    const c = client(STREAM + params("streaming_01"));
    const stream = await c.chat.completions.create({ model: textModel(), messages: [{ role: "user", content: "What's the name of the Sun in latin?" }], stream: true });
    const pieces: string[] = [];
    for await (const chunk of stream) {
      expect(chunk.object).toBe("chat.completion.chunk");
      const content = chunk.choices[0]?.delta.content;
      if (content) pieces.push(content);
    }
    expect(pieces.length).toBeGreaterThan(0);
  });

  it("lists the text model", async () => {
    // Client versions differ: an array of models, or a page with `data`.
    const listed: unknown = await client(CHAT + params("non_streaming_02")).models.list();
    const models = (Array.isArray(listed) ? listed : ((listed as { data?: unknown[] }).data ?? [])) as { id?: string; identifier?: string }[];
    expect(models.map((m) => m.identifier ?? m.id)).toContain(textModel());
  });
});
