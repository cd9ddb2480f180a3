/** The attribute rules the telemetry ports from openai-v2 and Llama Stack's safety helper, case by case. */
import { describe, expect, it } from "vitest";
import { asPyFloat } from "../src/providers/py-float.js";
import { metricAttributes, providerServerAttributes, requestAttributes, responseAttributes, StreamObservation } from "../src/telemetry/genai.js";
import { dumpMessage, runShieldAttributes } from "../src/telemetry/safety.js";

describe("GenAI request attributes (from the provider body)", () => {
  it("takes the optional chat parameters openai-v2 reads, in their attribute form", () => {
    const attrs = requestAttributes(
      "chat",
      {
        model: "m",
        temperature: asPyFloat(0),
        top_p: asPyFloat(0.9),
        seed: 7,
        n: 2,
        stop: "END",
        response_format: { type: "json_schema", json_schema: {} },
        extra_body: { service_tier: "flex" },
      },
      "http://127.0.0.1:8080/v1",
    );
    expect(attrs).toEqual({
      "gen_ai.operation.name": "chat",
      "gen_ai.system": "openai",
      "gen_ai.request.model": "m",
      "gen_ai.request.temperature": 0,
      "gen_ai.request.top_p": 0.9,
      "gen_ai.request.seed": 7,
      "gen_ai.request.choice.count": 2,
      "gen_ai.request.stop_sequences": ["END"],
      "gen_ai.openai.request.response_format": "json_schema",
      "gen_ai.openai.request.service_tier": "flex",
      "server.address": "127.0.0.1",
      "server.port": 8080,
    });
  });

  it("leaves out n = 1, service_tier auto, and a port that is implicit or 443", () => {
    expect(requestAttributes("chat", { model: "m", n: 1, service_tier: "auto" }, "https://api.openai.com/v1")).toEqual({
      "gen_ai.operation.name": "chat",
      "gen_ai.system": "openai",
      "gen_ai.request.model": "m",
      "server.address": "api.openai.com",
    });
    expect(providerServerAttributes("https://example.org:443/v1")).toEqual({ "server.address": "example.org" });
    expect(providerServerAttributes("http://[::1]:9000/v1")).toEqual({ "server.address": "::1", "server.port": 9000 });
  });

  it("embeddings: encoding formats only when the body names one, requested dimensions", () => {
    expect(requestAttributes("embeddings", { model: "e", input: "x", dimensions: 32 }, "http://h:1/v1")).toEqual({
      "gen_ai.operation.name": "embeddings",
      "gen_ai.system": "openai",
      "gen_ai.request.model": "e",
      "gen_ai.embeddings.dimension.count": 32,
      "server.address": "h",
      "server.port": 1,
    });
  });
});

describe("GenAI response attributes", () => {
  it("a missing finish reason is 'error'; zero token counts are not set", () => {
    const attrs = responseAttributes("chat", {
      id: "c1",
      model: "m",
      choices: [{ finish_reason: "stop" }, { finish_reason: null }],
      usage: { prompt_tokens: 0, completion_tokens: 4 },
    });
    expect(attrs).toEqual({
      "gen_ai.response.model": "m",
      "gen_ai.response.finish_reasons": ["stop", "error"],
      "gen_ai.response.id": "c1",
      "gen_ai.usage.output_tokens": 4,
    });
  });

  it("a stream: first id and model, last usage, never finish reasons", () => {
    const seen = new StreamObservation();
    seen.observe({ id: "s1", model: "m", choices: [{ delta: { content: "a" }, finish_reason: null }] });
    seen.observe({ id: "s2", model: "other", choices: [{ delta: {}, finish_reason: "stop" }] });
    seen.observe({ id: "s1", model: "m", choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } });
    expect(seen.attributes()).toEqual({
      "gen_ai.response.model": "m",
      "gen_ai.response.id": "s1",
      "gen_ai.usage.input_tokens": 5,
      "gen_ai.usage.output_tokens": 2,
    });
  });

  it("metric attributes: request model and server, response model and fingerprint when the call returned, error type when it failed", () => {
    const request = requestAttributes("chat", { model: "m", temperature: 0.2 }, "http://h:2/v1");
    expect(metricAttributes(request, { model: "m-1", system_fingerprint: "fp" }, null)).toEqual({
      "gen_ai.operation.name": "chat",
      "gen_ai.system": "openai",
      "gen_ai.request.model": "m",
      "gen_ai.response.model": "m-1",
      "gen_ai.openai.response.system_fingerprint": "fp",
      "server.address": "h",
      "server.port": 2,
    });
    expect(metricAttributes(request, null, "RateLimitError")).toMatchObject({ "error.type": "RateLimitError" });
    expect(metricAttributes(request, null, "RateLimitError")["gen_ai.response.model"]).toBeUndefined();
  });
});

describe("run_shield attributes", () => {
  it("dumps every message type with pydantic's fields and order", () => {
    expect(dumpMessage({ role: "assistant", content: "x", tool_calls: [{ id: "t", function: { name: "f", arguments: "{}" } }] })).toEqual({
      role: "assistant",
      content: "x",
      name: null,
      tool_calls: [{ index: null, id: "t", type: "function", function: { name: "f", arguments: "{}" } }],
    });
    expect(Object.keys(dumpMessage({ role: "tool", content: "r", tool_call_id: "t" }))).toEqual(["role", "tool_call_id", "content"]);
    expect(dumpMessage({ role: "user", content: [{ type: "image_url", image_url: { url: "data:x" } }] })).toEqual({
      role: "user",
      content: [{ type: "image_url", image_url: { url: "data:x", detail: null } }],
      name: null,
    });
  });

  it("leaves out empty violation metadata and an empty user message, never the level", () => {
    expect(runShieldAttributes("s", [], { violation_level: "warn", user_message: "", metadata: {} })).toEqual({
      "llama_stack.safety.request.shield_id": "s",
      "llama_stack.safety.request.messages": "[]",
      "llama_stack.safety.response.violation.level": "warn",
    });
  });
});
