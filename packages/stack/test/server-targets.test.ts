import { describe, expect, it } from "vitest";
import { OptionsError } from "../src/errors.js";
import { parseServerTarget, removedApiReason, removedRouteReason, serverVar } from "../src/server-targets.js";

describe("server targets", () => {
  it("resolves releases and release lines; the default is llama-stack@0.4.0", () => {
    expect(parseServerTarget(undefined).id).toBe("llama-stack@0.4.0");
    expect(parseServerTarget("llama-stack@0.7.x").id).toBe("llama-stack@0.7.3");
    const ogx = parseServerTarget("ogx@1.x");
    expect(ogx).toMatchObject({ id: "ogx@1.5.0", cli: "ogx", providerDataHeader: "X-OGX-Provider-Data", venv: "ogx-1.5.0", runConfig: "stacks/run-ogx.yaml" });
    expect(serverVar(ogx, "TEST_INFERENCE_MODE")).toBe("OGX_TEST_INFERENCE_MODE");
    expect(serverVar(parseServerTarget("llama-stack@0.4.0"), "LOG_FILE")).toBe("LLAMA_STACK_LOG_FILE");
  });

  it("rejects an unknown target with the valid ones and the install command", () => {
    expect(() => parseServerTarget("llama-stack@0.5.0")).toThrow(OptionsError);
    expect(() => parseServerTarget("ogx")).toThrow(/Unknown target 'ogx'. Valid: llama-stack@0.4.0, llama-stack@0.7.3, ogx@1.5.0, .*setup.sh --real-server=<target>/);
  });

  it("a removal applies from its release on, across the rename", () => {
    const [v04, v07, ogx] = ["llama-stack@0.4.0", "llama-stack@0.7.x", "ogx@1.x"].map(parseServerTarget) as [ReturnType<typeof parseServerTarget>, ReturnType<typeof parseServerTarget>, ReturnType<typeof parseServerTarget>];
    expect(removedApiReason(v04, "tool_runtime")).toBeNull();
    expect(removedApiReason(v07, "tool_runtime")).toBe("removed in llama-stack 0.7.0 (toolgroups and the tool runtime API)");
    expect(removedApiReason(ogx, "post_training")).toBe("removed in llama-stack 0.7.0 (the post-training API)");
    expect(removedApiReason(v07, "scoring")).toBeNull();
    expect(removedApiReason(ogx, "scoring")).toBe("removed in ogx 0.8.0 (scoring, eval, benchmarks and datasets)");
    expect(removedApiReason(ogx, "inference")).toBeNull();
    expect(removedApiReason(ogx, "safety")).toBe("removed in ogx 1.5.0 (the safety API and shields)");
    expect(removedApiReason(v07, "safety")).toBeNull();
    expect(removedRouteReason(v07, "post", "/v1/models")).toBe("removed in llama-stack 0.7.0 (model registration)");
    expect(removedRouteReason(v04, "POST", "/v1/models")).toBeNull();
    expect(removedRouteReason(ogx, "GET", "/v1/models")).toBeNull();
  });
});
