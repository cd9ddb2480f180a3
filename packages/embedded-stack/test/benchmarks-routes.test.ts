import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startHarness, type Harness } from "./server-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const get = async (path: string) => {
  const res = await fetch(`${h.url}${path}`);
  return { status: res.status, body: (await res.json()) as any };
};

describe("benchmarks routes", () => {
  it("registers, lists, gets and unregisters a benchmark on the one eval provider", async () => {
    const reg = await postJson(`${h.url}/v1alpha/eval/benchmarks`, { benchmark_id: "b1", dataset_id: "d1", scoring_functions: ["basic::equality"] });
    expect(reg.status).toBe(200);
    expect(await reg.json()).toBeNull();

    const one = await get("/v1alpha/eval/benchmarks/b1");
    expect(one.body).toEqual({
      identifier: "b1",
      provider_resource_id: "b1",
      provider_id: "meta-reference",
      type: "benchmark",
      owner: null,
      source: "via_register_api",
      dataset_id: "d1",
      scoring_functions: ["basic::equality"],
      metadata: {},
    });
    // List items are serialized as the declared Benchmark model, without owner and source.
    const list = await get("/v1alpha/eval/benchmarks");
    expect(list.body.data).toEqual([{
      identifier: "b1", provider_resource_id: "b1", provider_id: "meta-reference", type: "benchmark",
      dataset_id: "d1", scoring_functions: ["basic::equality"], metadata: {},
    }]);

    // The same registration again is accepted; a different one under the same id is not.
    expect((await postJson(`${h.url}/v1alpha/eval/benchmarks`, { benchmark_id: "b1", dataset_id: "d1", scoring_functions: ["basic::equality"] })).status).toBe(200);
    const clash = await postJson(`${h.url}/v1alpha/eval/benchmarks`, { benchmark_id: "b1", dataset_id: "d2", scoring_functions: [] });
    expect(clash.status).toBe(400);
    expect(((await clash.json()) as any).error.detail).toBe(
      "Invalid value: Object of type 'benchmark' and identifier 'b1' already exists. Unregister it first if you want to replace it.",
    );

    const del = await fetch(`${h.url}/v1alpha/eval/benchmarks/b1`, { method: "DELETE" });
    expect(del.status).toBe(204);
    const gone = await get("/v1alpha/eval/benchmarks/b1");
    expect(gone.status).toBe(400);
    expect(gone.body.error.detail).toBe("Invalid value: Benchmark 'b1' not found");
  });

  it("rejects an unknown provider and a request without scoring functions", async () => {
    const badProvider = await postJson(`${h.url}/v1alpha/eval/benchmarks`, { benchmark_id: "b2", dataset_id: "d", scoring_functions: [], provider_id: "nope" });
    expect(badProvider.status).toBe(400);
    expect(((await badProvider.json()) as any).error.detail).toBe("Invalid value: Provider `nope` not found");
    const missing = await postJson(`${h.url}/v1alpha/eval/benchmarks`, { benchmark_id: "b2", dataset_id: "d" });
    expect(((await missing.json()) as any).error.detail).toEqual({
      errors: [{ loc: ["body", "scoring_functions"], msg: "Field required", type: "missing" }],
    });
  });

  it("lists benchmark routes under the eval provider in /v1/inspect/routes", async () => {
    const routes = (await get("/v1/inspect/routes")).body.data as { route: string; method: string; provider_types: string[] }[];
    const find = (method: string, route: string) => routes.find((r) => r.method === method && r.route === route);
    expect(find("GET", "/v1alpha/eval/benchmarks")?.provider_types).toEqual(["inline::meta-reference"]);
    expect(find("GET", "/v1alpha/eval/benchmarks/{benchmark_id}")).toBeDefined();
  });
});
