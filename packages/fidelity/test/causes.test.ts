import { describe, expect, it } from "vitest";
import { classifyMiss, type MissFacts } from "../src/causes.js";

const facts = (over: Partial<MissFacts>): MissFacts => ({
  endpoint: "/v1/chat/completions",
  closestEndpoint: "/v1/chat/completions",
  diff: [],
  testRecorded: true,
  ...over,
});

describe("classifyMiss", () => {
  it.each([
    ["model list", facts({ endpoint: "/v1/models" }), "model-list"],
    ["ollama tags", facts({ endpoint: "/api/tags" }), "model-list"],
    ["test never recorded", facts({ testRecorded: false, closestEndpoint: null }), "test-not-recorded"],
    ["embeddings never recorded", facts({ endpoint: "/v1/embeddings", testRecorded: false, closestEndpoint: null }), "embeddings-never-recorded"],
    ["embeddings where upstream only has chat", facts({ endpoint: "/v1/embeddings" }), "embeddings-never-recorded"],
    ["other endpoint", facts({ endpoint: "/v1/completions" }), "endpoint"],
    ["ids only", facts({ diff: ['body.messages[1].tool_call_id: recorded "call_abc" → requested "call_xyz"'] }), "id-allocation"],
    ["messages", facts({ diff: ['body.messages[0].content: recorded "a" → requested "b"'] }), "message-construction"],
    ["prompt", facts({ diff: ['body.prompt: recorded "a" → requested "b"'] }), "message-construction"],
    ["embedding input", facts({ endpoint: "/v1/embeddings", closestEndpoint: "/v1/embeddings", diff: ['body.input[0]: recorded "a" → requested "b"'] }), "embedding-input"],
    ["tools", facts({ diff: ["body.tools[0].function.strict: recorded true → requested (absent)"] }), "tool-definitions"],
    ["response format", facts({ diff: ['body.response_format.type: recorded "json_schema" → requested "json_object"'] }), "response-format"],
    ["parameters", facts({ diff: ["body.extra_body: recorded {} → requested (absent)"] }), "default-parameters"],
    ["messages win over parameters", facts({ diff: ["body.max_tokens: recorded 10 → requested (absent)", 'body.messages[0].content: recorded "a" → requested "b"'] }), "message-construction"],
  ])("%s", (_name, input, cause) => {
    expect(classifyMiss(input)).toBe(cause);
  });
});
