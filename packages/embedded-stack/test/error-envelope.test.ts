/**
 * The error body rule measured on the 0.4.0 server: router APIs wrap their errors as
 * {"error": {"detail"}}, legacy APIs answer {"detail"}, and validation errors are wrapped everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startHarness, type Harness } from "./server-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function answer(res: Response): Promise<[number, unknown]> {
  return [res.status, await res.json()];
}

describe("error bodies", () => {
  it("answers a legacy API's own errors as FastAPI's plain detail", async () => {
    expect(await answer(await fetch(`${h.url}/v1/prompts/pmpt_nope`, { method: "DELETE" }))).toEqual([
      400,
      { detail: "Invalid value: Prompt pmpt_nope:default not found" },
    ]);
    expect(await answer(await fetch(`${h.url}/v1/models/nope/nope`))).toEqual([
      404,
      { detail: "Model 'nope/nope' not found. Use 'client.models.list()' to list available Models." },
    ]);
    expect(await answer(await fetch(`${h.url}/v1/vector_stores/vs_nope`))).toEqual([
      400,
      { detail: "Invalid value: Vector_store 'vs_nope' not found" },
    ]);
  });

  it("wraps a router API's errors", async () => {
    expect(await answer(await fetch(`${h.url}/v1/providers/nope`))).toEqual([
      400,
      { error: { detail: "Invalid value: Provider nope not found" } },
    ]);
    expect(await answer(await fetch(`${h.url}/v1/files/file-nope`))).toEqual([
      404,
      { error: { detail: "File 'file-nope' not found. Use 'client.files.list()' to list available Files." } },
    ]);
  });

  it("tells benchmarks (a router API) from eval jobs under a benchmark's path (legacy)", async () => {
    expect(await answer(await fetch(`${h.url}/v1alpha/eval/benchmarks/nope`))).toEqual([
      400,
      { error: { detail: "Invalid value: Benchmark 'nope' not found" } },
    ]);
    expect(await answer(await fetch(`${h.url}/v1alpha/eval/benchmarks/nope/jobs/0`))).toEqual([
      400,
      {
        detail:
          "Invalid value: Benchmark `nope` not served by provider: `meta-reference`. Make sure there is an Eval provider serving this benchmark.",
      },
    ]);
  });

  it("wraps a validation error on a legacy API", async () => {
    expect(await answer(await postJson(`${h.url}/v1/chat/completions`, { model: "nope" }))).toEqual([
      400,
      { error: { detail: { errors: [{ loc: ["body", "messages"], msg: "Field required", type: "missing" }] } } },
    ]);
  });
});
