import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { postJson, startHarness, type Harness } from "./server-harness.js";

const MODEL = "llama-cpp/tiny-random-llama";
const candidate = (sampling: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  eval_candidate: { type: "model", model: MODEL, sampling_params: sampling, ...extra },
});
const chatRow = (question: string, answer: string, messages?: unknown[]) => ({
  input_query: question,
  expected_answer: answer,
  chat_completion_input: JSON.stringify(messages ?? [{ role: "user", content: question }]),
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.provider.answer = (body) => {
    const last = (body.messages as { content: string }[]).at(-1)?.content ?? "";
    return last.includes("France") ? "Paris" : "I do not know";
  };
  const reg = await postJson(`${h.url}/v1alpha/eval/benchmarks`, { benchmark_id: "qa", dataset_id: "qa-rows", scoring_functions: ["basic::equality"] });
  expect(reg.status).toBe(200);
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.provider.requests.length = 0;
});

const call = async (method: string, path: string, body?: unknown) => {
  const res = body === undefined ? await fetch(`${h.url}${path}`, { method }) : await postJson(`${h.url}${path}`, body);
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as any) : null };
};
const providerBodies = (path: string) => h.provider.requests.filter((r) => r.path === path).map((r) => r.body);

describe("eval routes", () => {
  it("generates one chat completion per row with only max_tokens, then scores the rows with the answers", async () => {
    const res = await call("POST", "/v1alpha/eval/benchmarks/qa/evaluations", {
      input_rows: [
        chatRow("What is the capital of France?", "Paris"),
        // Upstream orders the row's system messages before its user messages and drops other roles.
        chatRow("Who wrote Hamlet?", "Shakespeare", [
          { role: "user", content: "Who wrote Hamlet?", extra: 1 },
          { role: "assistant", content: "ignored" },
          { role: "system", content: "Be brief.", name: "sys" },
        ]),
      ],
      scoring_functions: ["basic::equality"],
      benchmark_config: candidate({ temperature: 0.0, max_tokens: 512, strategy: { type: "greedy" }, stop: ["\n"] }),
    });
    expect(res.status).toBe(200);
    expect(providerBodies("/v1/chat/completions")).toEqual([
      { model: "tiny-random-llama", messages: [{ role: "user", content: "What is the capital of France?" }], max_tokens: 512 },
      {
        model: "tiny-random-llama",
        messages: [{ role: "system", content: "Be brief.", name: "sys" }, { role: "user", content: "Who wrote Hamlet?" }],
        max_tokens: 512,
      },
    ]);
    expect(res.body.generations).toEqual([{ generated_answer: "Paris" }, { generated_answer: "I do not know" }]);
    expect(res.body.scores["basic::equality"].score_rows).toEqual([{ score: 1.0 }, { score: 0.0 }]);
    expect(res.body.scores["basic::equality"].aggregated_results).toEqual({ accuracy: { accuracy: 0.5, num_correct: 1.0, num_total: 2 } });
  });

  it("puts the candidate's system message first and sends completion rows as completions with stop", async () => {
    const res = await call("POST", "/v1alpha/eval/benchmarks/qa/evaluations", {
      input_rows: [
        { input_query: "sky", expected_answer: "blue", completion_input: JSON.stringify("The sky is") },
        chatRow("What is the capital of France?", "Paris"),
      ],
      scoring_functions: ["basic::equality"],
      benchmark_config: candidate({ max_tokens: 8, stop: ["."] }, { system_message: { role: "system", content: "You are terse." } }),
    });
    expect(res.status).toBe(200);
    expect(providerBodies("/v1/completions")).toEqual([{ model: "tiny-random-llama", prompt: "The sky is", max_tokens: 8, stop: ["."] }]);
    // Upstream keeps one params object across rows, so `stop` set by the completion row rides along.
    expect(providerBodies("/v1/chat/completions")).toEqual([
      {
        model: "tiny-random-llama",
        messages: [{ role: "system", content: "You are terse." }, { role: "user", content: "What is the capital of France?" }],
        max_tokens: 8,
        stop: ["."],
      },
    ]);
    expect(res.body.generations).toEqual([{ generated_answer: "blue" }, { generated_answer: "Paris" }]);
  });

  it("answers upstream's errors for bad rows, missing max_tokens and unknown benchmarks", async () => {
    const body = (rows: unknown[], sampling: Record<string, unknown> = { max_tokens: 4 }) => ({
      input_rows: rows,
      scoring_functions: ["basic::equality"],
      benchmark_config: candidate(sampling),
    });
    const invalid = await call("POST", "/v1alpha/eval/benchmarks/qa/evaluations", body([{ input_query: "q" }]));
    expect([invalid.status, invalid.body.detail]).toEqual([400, "Invalid value: Invalid input row"]);
    const noMax = await call("POST", "/v1alpha/eval/benchmarks/qa/evaluations", body([chatRow("q", "a")], {}));
    expect([noMax.status, noMax.body.detail]).toEqual([500, "Internal server error: An unexpected error occurred."]);
    const unknown = await call("POST", "/v1alpha/eval/benchmarks/nope/jobs", { benchmark_config: candidate({ max_tokens: 4 }) });
    expect([unknown.status, unknown.body.detail]).toEqual([
      400,
      "Invalid value: Benchmark `nope` not served by provider: `meta-reference`. Make sure there is an Eval provider serving this benchmark.",
    ]);
    const missing = await call("POST", "/v1alpha/eval/benchmarks/qa/evaluations", { input_rows: [] });
    expect(missing.body.error.detail.errors.map((e: { loc: unknown[] }) => e.loc)).toEqual([
      ["body", "scoring_functions"],
      ["body", "benchmark_config"],
    ]);
    expect(h.provider.requests.filter((r) => r.path !== "/v1/models")).toEqual([]);
  });

  it("runs a benchmark over its dataset as a completed job numbered from 0", async () => {
    const rows = [chatRow("What is the capital of France?", "Paris"), chatRow("Who wrote Hamlet?", "Shakespeare"), chatRow("2+2?", "4")];
    const dataset = await call("POST", "/v1beta/datasets", { purpose: "eval/messages-answer", source: { type: "rows", rows }, dataset_id: "qa-rows" });
    expect(dataset.status).toBe(200);

    const job = await call("POST", "/v1alpha/eval/benchmarks/qa/jobs", { benchmark_config: { ...candidate({ max_tokens: 16 }), num_examples: 2 } });
    expect(job.body).toEqual({ job_id: "0", status: "completed" });
    expect(providerBodies("/v1/chat/completions")).toHaveLength(2);
    expect((await call("GET", "/v1alpha/eval/benchmarks/qa/jobs/0")).body).toEqual({ job_id: "0", status: "completed" });

    const result = await call("GET", "/v1alpha/eval/benchmarks/qa/jobs/0/result");
    expect(result.body.generations).toEqual([{ generated_answer: "Paris" }, { generated_answer: "I do not know" }]);
    expect(Object.keys(result.body.scores)).toEqual(["basic::equality"]);

    const all = await call("POST", "/v1alpha/eval/benchmarks/qa/jobs", { benchmark_config: candidate({ max_tokens: 16 }) });
    expect(all.body.job_id).toBe("1");
    expect((await call("GET", "/v1alpha/eval/benchmarks/qa/jobs/1/result")).body.generations).toHaveLength(3);

    const unknownJob = await call("GET", "/v1alpha/eval/benchmarks/qa/jobs/9");
    expect([unknownJob.status, unknownJob.body.detail]).toEqual([400, "Invalid value: Job 9 not found"]);
    const cancel = await call("DELETE", "/v1alpha/eval/benchmarks/qa/jobs/0");
    expect([cancel.status, cancel.body.detail]).toEqual([501, "Not implemented: Job cancel is not implemented yet"]);
  });
});
