import { describe, expect, it } from "vitest";
import { modelProviders, planProxy } from "../src/lifecycle/provider-routes.js";

// Shaped like @llama-stack-tests/recording's DEFAULT_PROVIDER_ROUTES.
const DEFAULTS = {
  ollama: { name: "ollama", recordedBase: "http://0.0.0.0:11434/v1" },
  "llama-cpp": { name: "llama-cpp", recordedBase: "http://127.0.0.1:8080/v1" },
  openai: { name: "openai", recordedBase: "https://api.openai.com/v1" },
  vllm: { name: "vllm", recordedBase: "http://localhost:8000/v1" },
};

describe("planProxy", () => {
  it("routes only providers whose URL env is set, with the path kept on the stack side", () => {
    const plan = planProxy(DEFAULTS, { OLLAMA_URL: "http://0.0.0.0:11434/v1" }, true);
    expect(plan.routes).toEqual([{ name: "ollama", recordedBase: "http://0.0.0.0:11434/v1", target: "http://0.0.0.0:11434" }]);
    expect(plan.stackEnv("http://127.0.0.1:5000/")).toEqual({ OLLAMA_URL: "http://127.0.0.1:5000/ollama/v1" });
  });

  it("replay routes have no target", () => {
    const plan = planProxy(DEFAULTS, { LLAMA_CPP_URL: "http://127.0.0.1:8080/v1" }, false);
    expect(plan.routes).toEqual([{ name: "llama-cpp", recordedBase: "http://127.0.0.1:8080/v1" }]);
    expect(plan.stackEnv("http://p:1")).toEqual({ LLAMA_CPP_URL: "http://p:1/llama-cpp/v1" });
  });

  it("an override (the model server) replaces the target's origin only", () => {
    const plan = planProxy(DEFAULTS, { LLAMA_CPP_URL: "http://127.0.0.1:8080/v1" }, true, { "llama-cpp": "http://127.0.0.1:4567" });
    expect(plan.routes[0]!.target).toBe("http://127.0.0.1:4567");
    expect(plan.stackEnv("http://p:1")).toEqual({ LLAMA_CPP_URL: "http://p:1/llama-cpp/v1" });
  });

  it("OpenAI is routed when its key is set, at the public API by default", () => {
    const plan = planProxy(DEFAULTS, { OPENAI_API_KEY: "sk-test" }, true);
    expect(plan.routes.map((r) => [r.name, r.target])).toEqual([["openai", "https://api.openai.com"]]);
    expect(plan.stackEnv("http://p:1")).toEqual({ OPENAI_BASE_URL: "http://p:1/openai/v1" });
  });

  it("replays OpenAI for a run whose models use it, with a placeholder key only in the stack env", () => {
    const plan = planProxy(DEFAULTS, {}, false, {}, ["openai"]);
    expect(plan.routes).toEqual([{ name: "openai", recordedBase: "https://api.openai.com/v1" }]);
    expect(plan.stackEnv("http://p:1")).toEqual({ OPENAI_BASE_URL: "http://p:1/openai/v1", OPENAI_API_KEY: expect.any(String) });
    // A caller's own key is kept (not replaced), and forwarding never invents a route or key.
    expect(planProxy(DEFAULTS, { OPENAI_API_KEY: "sk-test" }, false, {}, ["openai"]).stackEnv("http://p:1")).toEqual({
      OPENAI_BASE_URL: "http://p:1/openai/v1",
    });
    expect(planProxy(DEFAULTS, {}, true, {}, ["openai"]).routes).toEqual([]);
    expect(planProxy(DEFAULTS, {}, false, {}, ["llama-cpp"]).routes).toEqual([]);
  });

  it("names the providers of a run's models", () => {
    expect(
      modelProviders({
        text: ["openai/gpt-4o"],
        vision: ["openai/gpt-4o"],
        embedding: ["openai/text-embedding-3-small"],
        shield: ["llama-guard"],
        judge: [],
        rerank: [],
        embeddingDimension: 1536,
      }),
    ).toEqual(["openai"]);
  });

  it("skips providers the recording package has no route for", () => {
    expect(planProxy(DEFAULTS, { TGI_URL: "http://localhost:8080" }, true).routes).toEqual([]);
  });
});
