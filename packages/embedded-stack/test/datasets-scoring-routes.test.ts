import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvToRows } from "../src/apis/datasets/csv-table.js";
import { postJson, startHarness, type Harness } from "./server-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res =
    body === undefined ? await fetch(`${h.url}${path}`, { method, headers }) : await postJson(`${h.url}${path}`, body, headers);
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as any) : null };
};

const QA_CSV = [
  "input_query,generated_answer,expected_answer,chat_completion_input",
  'What is 1+1?,2,2,"[{""role"": ""user"", ""content"": ""What is 1+1?""}]"',
  "Capital of France?,London,Paris,[]",
  "Largest planet?,Jupiter,Jupiter,[]",
].join("\n");
const csvDataUrl = (csv: string) => `data:text/csv;base64,${Buffer.from(csv).toString("base64")}`;

describe("CSV rows", () => {
  it("reads quoted fields and types whole columns as pandas does", () => {
    const rows = csvToRows('a,b,c,d\n1,"x, ""y""",1.5,True\n\n2,,2,false\n');
    expect(rows).toEqual([
      { a: 1, b: 'x, "y"', c: 1.5, d: true },
      { a: 2, b: null, c: 2, d: false },
    ]);
  });
});

describe("datasets and datasetio routes", () => {
  it("registers a CSV data URL, pages its rows, lists, gets and unregisters it", async () => {
    const reg = await call("POST", "/v1beta/datasets", { purpose: "eval/messages-answer", source: { type: "uri", uri: csvDataUrl(QA_CSV) } });
    expect(reg.status).toBe(200);
    expect(reg.body).toMatchObject({ provider_id: "localfs", type: "dataset", owner: null, metadata: {} });
    const id = reg.body.identifier as string;
    expect(id).toMatch(/^dataset-[0-9a-f-]{36}$/);

    const page = await call("GET", `/v1beta/datasetio/iterrows/${id}?start_index=1&limit=1`);
    expect(page.body).toEqual({
      data: [{ input_query: "Capital of France?", generated_answer: "London", expected_answer: "Paris", chat_completion_input: "[]" }],
      has_more: true,
      url: "/v1beta/datasetio/iterrows/{dataset_id:path}",
    });
    const all = await call("GET", `/v1beta/datasetio/iterrows/${id}`);
    expect(all.body.data).toHaveLength(3);
    expect(all.body.has_more).toBe(false);
    // A column mixing numbers and text stays text, as pandas reads it.
    expect(all.body.data[0].generated_answer).toBe("2");

    const list = await call("GET", "/v1beta/datasets");
    expect(list.body.data).toEqual([{ ...reg.body, owner: undefined }].map(({ owner: _o, ...d }) => d));
    expect((await call("GET", `/v1beta/datasets/${id}`)).body).toEqual(reg.body);

    expect((await call("DELETE", `/v1beta/datasets/${id}`)).status).toBe(204);
    expect((await call("GET", "/v1beta/datasets")).body.data).toEqual([]);
  });

  it("serves inline rows as a table and keeps an explicit id", async () => {
    const rows = [{ q: "a", answer: "x" }, { q: "b" }];
    const reg = await call("POST", "/v1beta/datasets", { purpose: "eval/question-answer", source: { type: "rows", rows }, dataset_id: "inline" });
    expect(reg.body.identifier).toBe("inline");
    const page = await call("GET", "/v1beta/datasetio/iterrows/inline?limit=-1");
    expect(page.body.data).toEqual([{ q: "a", answer: "x" }, { q: "b", answer: null }]);
    // The same registration again is accepted; a different one under the same id is not.
    expect((await call("POST", "/v1beta/datasets", { purpose: "eval/question-answer", source: { type: "rows", rows }, dataset_id: "inline" })).status).toBe(200);
    const clash = await call("POST", "/v1beta/datasets", { purpose: "eval/question-answer", source: { type: "rows", rows: [] }, dataset_id: "inline" });
    expect(clash.status).toBe(400);
    expect(clash.body.error.detail).toContain("already exists");
    // Upstream's localfs provider checks appended rows but does not keep them.
    expect((await call("POST", "/v1beta/datasetio/append-rows/inline", { rows: [{ q: "c" }] })).status).toBe(200);
    expect((await call("GET", "/v1beta/datasetio/iterrows/inline")).body.data).toHaveLength(2);
    await call("DELETE", "/v1beta/datasets/inline");
  });

  it("reports unknown datasets and providers as upstream does", async () => {
    expect(await call("GET", "/v1beta/datasets/nope")).toEqual({
      status: 404,
      body: { error: { detail: "Dataset 'nope' not found. Use 'client.datasets.list()' to list available Datasets." } },
    });
    const rows = await call("GET", "/v1beta/datasetio/iterrows/nope");
    expect(rows.status).toBe(400);
    expect(rows.body.detail).toBe(
      "Invalid value: Dataset `nope` not served by provider: `localfs`. Make sure there is an DatasetIO provider serving this dataset.",
    );
    const hf = await call("POST", "/v1beta/datasets", { purpose: "eval/messages-answer", source: { type: "uri", uri: "huggingface://datasets/x" } });
    expect(hf).toEqual({ status: 400, body: { error: { detail: "Invalid value: Provider `huggingface` not found" } } });
  });
});

describe("scoring-functions and scoring routes", () => {
  const rows = [
    { input_query: "q1", expected_answer: "Paris", generated_answer: "Paris" },
    { input_query: "q2", expected_answer: "Paris", generated_answer: "I think Paris" },
  ];

  it("lists the basic and llm-as-judge functions without owner and source", async () => {
    const list = await call("GET", "/v1/scoring-functions");
    const ids = list.body.data.map((f: { identifier: string }) => f.identifier);
    expect(ids).toEqual(["basic::equality", "basic::subset_of", "basic::regex_parser_multiple_choice_answer", "llm-as-judge::base"]);
    expect(list.body.data[0]).not.toHaveProperty("owner");
    const one = await call("GET", "/v1/scoring-functions/basic::equality");
    expect(one.body).toMatchObject({ identifier: "basic::equality", provider_id: "basic", owner: null, source: "via_register_api" });
  });

  it("scores with basic functions and aggregates as asked", async () => {
    const res = await call("POST", "/v1/scoring/score", {
      input_rows: rows,
      scoring_functions: {
        "basic::equality": null,
        "basic::subset_of": { type: "basic", aggregation_functions: ["accuracy", "categorical_count", "median", "average"] },
      },
    });
    expect(res.body.results["basic::equality"]).toEqual({
      score_rows: [{ score: 1 }, { score: 0 }],
      aggregated_results: { accuracy: { accuracy: 0.5, num_correct: 1, num_total: 2 } },
    });
    expect(res.body.results["basic::subset_of"].aggregated_results).toEqual({
      accuracy: { accuracy: 1, num_correct: 2, num_total: 2 },
      categorical_count: { categorical_count: { "1.0": 2 } },
      median: { median: 1 },
      average: { average: 1 },
    });
    // As upstream, a call's aggregation functions stay with the function for later calls without params.
    const later = await call("POST", "/v1/scoring/score", { input_rows: rows, scoring_functions: { "basic::subset_of": null } });
    expect(Object.keys(later.body.results["basic::subset_of"].aggregated_results)).toEqual(["accuracy", "categorical_count", "median", "average"]);
    const mc = await call("POST", "/v1/scoring/score", {
      input_rows: [{ expected_answer: "B", generated_answer: "Reasoning...\nthe best answer is B" }, { expected_answer: "B", generated_answer: "Respuesta: C" }],
      scoring_functions: { "basic::regex_parser_multiple_choice_answer": null },
    });
    expect(mc.body.results["basic::regex_parser_multiple_choice_answer"].score_rows).toEqual([{ score: 1 }, { score: 0 }]);
  });

  it("scores a registered dataset with score-batch", async () => {
    await call("POST", "/v1beta/datasets", { purpose: "eval/question-answer", source: { type: "rows", rows }, dataset_id: "to-score" });
    const res = await call("POST", "/v1/scoring/score-batch", { dataset_id: "to-score", scoring_functions: { "basic::equality": null } });
    expect(res.body).toEqual({
      dataset_id: null,
      results: { "basic::equality": { score_rows: [{ score: 1 }, { score: 0 }], aggregated_results: { accuracy: { accuracy: 0.5, num_correct: 1, num_total: 2 } } } },
    });
  });

  it("rejects unregistered functions with the routing table's message", async () => {
    const res = await call("POST", "/v1/scoring/score", { input_rows: rows, scoring_functions: { nope: null } });
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe(
      "Invalid value: Scoring_function `nope` not served by any of the providers: basic, llm-as-judge. Make sure there is an Scoring provider serving this scoring_function.",
    );
  });

  it("asks the judge model through the inference router, with the request's test id", async () => {
    const register = await call("POST", "/v1/scoring-functions", {
      scoring_fn_id: "judge-test",
      provider_id: "llm-as-judge",
      description: "test judge",
      return_type: { type: "string" },
      params: { type: "llm_as_judge", judge_model: "llama-cpp/tiny-random-llama", prompt_template: "Q={input_query} A={generated_answer} {{ok}}" },
    });
    expect(register).toEqual({ status: 200, body: null });
    const again = await call("POST", "/v1/scoring-functions", {
      scoring_fn_id: "judge-test", provider_id: "llm-as-judge", description: "test judge", return_type: { type: "string" },
    });
    expect(again.body.detail).toBe("Invalid value: Scoring function def with identifier judge-test already exists.");
    expect((await call("POST", "/v1/scoring-functions", { scoring_fn_id: "b", provider_id: "basic", description: "d", return_type: { type: "number" } })).status).toBe(501);

    h.provider.answer = () => "Score: 7";
    h.provider.requests.length = 0;
    const providerData = { "x-llamastack-provider-data": JSON.stringify({ __test_id: "judge-case" }) };
    const res = await call(
      "POST",
      "/v1/scoring/score",
      { input_rows: rows, scoring_functions: { "judge-test": { type: "llm_as_judge", judge_model: "llama-cpp/tiny-random-llama", prompt_template: "Q={input_query} A={generated_answer} {{ok}}", judge_score_regexes: ["Score: (\\d+)"], aggregation_functions: ["categorical_count"] } } },
      providerData,
    );
    expect(res.body.results["judge-test"]).toEqual({
      score_rows: [{ score: "7", judge_feedback: "Score: 7" }, { score: "7", judge_feedback: "Score: 7" }],
      aggregated_results: { categorical_count: { categorical_count: { "7": 2 } } },
    });
    const chats = h.provider.requests.filter((r) => r.path === "/v1/chat/completions");
    expect(chats.map((r) => (r.body?.messages as unknown[])[0])).toEqual([
      { role: "user", content: "Q=q1 A=Paris {ok}" },
      { role: "user", content: "Q=q2 A=I think Paris {ok}" },
    ]);
    expect(chats.every((r) => r.headers["x-llamastack-test-id"] === "judge-case")).toBe(true);

    expect((await call("DELETE", "/v1/scoring-functions/judge-test")).status).toBe(204);
    expect((await call("GET", "/v1/scoring-functions/judge-test")).body.detail).toBe("Invalid value: Scoring function 'judge-test' not found");
  });
});
