import { describe, expect, it } from "vitest";
import { client, textModel } from "../setup.js";

/** The text of a response's message outputs. */
function outputText(response: { output: unknown[] }): string {
  const parts = response.output.flatMap((o) => {
    const item = o as { type?: string; content?: unknown };
    return item.type === "message" && Array.isArray(item.content) ? (item.content as { text?: unknown }[]) : [];
  });
  return parts.map((p) => (typeof p.text === "string" ? p.text : "")).join("");
}

const BASIC = "tests/integration/responses/test_basic_responses.py::test_response_non_streaming_basic";

describe("responses through llama-stack-client", () => {
  it("creates a response and retrieves it by id", async () => {
    const c = client(`${BASIC}[client_with_models-txt=${textModel()}-earth]`);
    const response = await c.responses.create({ model: textModel(), input: "Which planet do humans live on?", stream: false });
    // A small model may stop at its token limit: the response is then incomplete, still with output.
    expect(["completed", "incomplete"]).toContain(response.status);
    expect(outputText(response).length).toBeGreaterThan(0);
    const retrieved = await c.responses.retrieve(response.id);
    expect(retrieved.id).toBe(response.id);
  });
});
