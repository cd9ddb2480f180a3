import { type UpstreamCase, upstreamTest, type UpstreamTestContext } from "@llama-stack-tests/stack";
import type { Response, ResponseFileSearchToolCall } from "openai/resources/responses/responses";
import { expect } from "vitest";

import { COMPAT, CREATE, type CreateBody, outputAt, outputText, requireRoutes, responsesClient, TEXT, textModel } from "./responses.js";
import { attachFile, embeddingOf, newVectorStore, removeStore, uploadFile } from "./vector-stores.js";

const FILE = "tests/integration/responses/test_file_search.py";
type Ctx = UpstreamTestContext<unknown>;

// Not testing json_object: upstream leaves it out because most providers do not support it.
const TEXT_FORMATS: UpstreamCase<Record<string, unknown> & { type: string }>[] = [
  { id: "text_format0", value: { type: "text" } },
  {
    id: "text_format1",
    value: {
      type: "json_schema",
      name: "capitals",
      description: "A schema for the capital of each country",
      schema: { type: "object", properties: { capital: { type: "string" } } },
      strict: true,
    },
  },
];

upstreamTest({ file: FILE, name: "test_response_text_format", clients: COMPAT, models: TEXT, cases: TEXT_FORMATS }, async (t) => {
  await requireRoutes(t, CREATE);
  const format = t.param;
  const response = await responsesClient(t).create({
    model: textModel(t),
    input: "What is the capital of France?",
    stream: false,
    text: { format },
  });
  // Upstream compares the echoed format without its unset keys.
  const echoed = Object.fromEntries(Object.entries(response.text?.format ?? {}).filter(([, v]) => v !== null && v !== undefined));
  expect(echoed).toEqual(format);
  const text = outputText(response);
  if (t.can("answer_quality", 'the answer names "paris"')) expect(text.toLowerCase()).toContain("paris");
  if (format.type === "json_schema") {
    if (t.can("structured_output", "the answer is JSON of the schema") && t.can("answer_quality", "its capital is Paris")) {
      expect((JSON.parse(text) as { capital: string }).capital.toLowerCase()).toContain("paris");
    }
  }
});

/** Upstream's vector_store_with_filtered_files fixture: four files with region, category and date attributes. */
const FILTERED_FILES = [
  {
    name: "us_marketing_q1.txt",
    content: "US promotional campaigns for Q1 2023. Revenue increased by 15% in the US region.",
    attributes: { region: "us", category: "marketing", date: 1672531200 },
  },
  {
    name: "us_engineering_q2.txt",
    content: "US technical updates for Q2 2023. New features deployed in the US region.",
    attributes: { region: "us", category: "engineering", date: 1680307200 },
  },
  {
    name: "eu_marketing_q1.txt",
    content: "European advertising campaign results for Q1 2023. Strong growth in EU markets.",
    attributes: { region: "eu", category: "marketing", date: 1672531200 },
  },
  {
    name: "asia_sales_q3.txt",
    content: "Asia Pacific revenue figures for Q3 2023. Record breaking quarter in Asia.",
    attributes: { region: "asia", category: "sales", date: 1688169600 },
  },
];

/** Runs `fn` with the fixture's store, then removes the store and its files (best effort, as upstream). */
async function withFilteredStore(t: Ctx, fn: (storeId: string) => Promise<void>): Promise<void> {
  const client = responsesClient(t);
  const store = await newVectorStore(client, "test_vector_store_with_filters", embeddingOf(t));
  const fileIds: string[] = [];
  try {
    for (const file of FILTERED_FILES) {
      const uploaded = await uploadFile(client, file.name, file.content);
      fileIds.push(uploaded.id);
      await attachFile(client, store.id, uploaded.id, file.attributes);
    }
    await fn(store.id);
  } finally {
    await removeStore(client, store.id, fileIds);
  }
}

/** Upstream's fixture ids carry only the text model: the store's models come from fixtures, not the id. */
const SPEC = { file: FILE, clients: COMPAT, models: TEXT };
const SEARCHES = "the model searches the vector store before answering";

/** A filtered search: the response and its file_search call, when the model searched. */
async function filteredSearch(t: Ctx, storeId: string, input: string, filters?: Record<string, unknown>): Promise<{ response: Response; call: ResponseFileSearchToolCall } | null> {
  const body: CreateBody = {
    model: textModel(t),
    input,
    tools: [{ type: "file_search", vector_store_ids: [storeId], ...(filters ? { filters } : {}) }],
    stream: false,
    include: ["file_search_call.results"],
  };
  const response = await responsesClient(t).create(body);
  if (!t.can("tool_calling", SEARCHES)) return null;
  const call = outputAt(response, 0, "file_search_call");
  expect(call.status).toBe("completed");
  expect(call.results?.length ?? 0, "results").toBeGreaterThan(0);
  return { response, call };
}

function texts(call: ResponseFileSearchToolCall): string[] {
  return (call.results ?? []).map((r) => (r.text ?? "").toLowerCase());
}

/** The store needs the embedding model the ids leave out; the case lacks one when the setup has none. */
function requireEmbedding(t: Ctx): void {
  if (!t.models.embedding) t.skip("embedding_model_id empty - the vector store needs an embedding model");
}

/**
 * Upstream's filter tests share one shape: the filtered store, one search with `filters`, then a check
 * of the texts the search returned (run only when the model did search).
 */
function filterTest(name: string, input: string, filters: Record<string, unknown>, check: (texts: string[], response: Response) => void): void {
  upstreamTest({ ...SPEC, name }, async (t) => {
    await requireRoutes(t, CREATE);
    requireEmbedding(t);
    await withFilteredStore(t, async (storeId) => {
      const searched = await filteredSearch(t, storeId, input, filters);
      if (searched) check(texts(searched.call), searched.response);
    });
  });
}

const eq = (key: string, value: string) => ({ type: "eq", key, value });

filterTest("test_response_file_search_filter_by_region", "What are the updates from the US region?", eq("region", "us"), (found, response) => {
  expect(response.output.length, "the search and an answer").toBeGreaterThan(1);
  for (const text of found) {
    expect(text).toContain("us");
    expect(text).not.toContain("european");
    expect(text).not.toContain("asia");
  }
});

filterTest("test_response_file_search_filter_by_category", "Show me all marketing reports", eq("category", "marketing"), (found) => {
  for (const text of found) {
    expect(text.includes("promotional") || text.includes("advertising"), text).toBe(true);
    expect(text).not.toContain("technical");
    expect(text).not.toContain("revenue figures");
  }
});

filterTest(
  "test_response_file_search_filter_by_date_range",
  "What happened in Q1 2023?",
  { type: "and", filters: [{ type: "gte", key: "date", value: 1672531200 }, { type: "lt", key: "date", value: 1680307200 }] },
  (found) => {
    for (const text of found) {
      expect(text).toContain("q1");
      expect(text).not.toContain("q2");
      expect(text).not.toContain("q3");
    }
  },
);

filterTest(
  "test_response_file_search_filter_compound_and",
  "What are the engineering updates from the US?",
  { type: "and", filters: [eq("region", "us"), eq("category", "engineering")] },
  (found) => {
    for (const text of found) {
      expect(text.includes("us") && text.includes("technical"), text).toBe(true);
      expect(text.includes("european") || text.includes("asia"), text).toBe(false);
      expect(text.includes("promotional") || text.includes("revenue"), text).toBe(false);
    }
  },
);

filterTest(
  "test_response_file_search_filter_compound_or",
  "Show me marketing and sales documents",
  { type: "or", filters: [eq("category", "marketing"), eq("category", "sales")] },
  (found) => {
    const categories = new Set<string>();
    for (const text of found) {
      if (text.includes("promotional") || text.includes("advertising")) categories.add("marketing");
      if (text.includes("revenue figures")) categories.add("sales");
      expect(text, "no engineering file").not.toContain("technical");
    }
    expect(categories.size, "at least one marketing or sales file").toBeGreaterThan(0);
  },
);

upstreamTest({ ...SPEC, name: "test_response_file_search_streaming_events" }, async (t) => {
  await requireRoutes(t, CREATE);
  requireEmbedding(t);
  await withFilteredStore(t, async (storeId) => {
    const body = { model: textModel(t), input: "What are the marketing updates?", tools: [{ type: "file_search", vector_store_ids: [storeId] }] };
    const events = await responsesClient(t).stream(body);
    if (!t.can("tool_calling", SEARCHES)) return;
    const types = events.map((e) => e.type);
    for (const type of ["response.file_search_call.in_progress", "response.file_search_call.searching", "response.file_search_call.completed"]) {
      expect(types, `${type} events; got ${types.join(", ")}`).toContain(type);
    }
    const last = events.at(-1);
    if (last && "response" in last) {
      const calls = (last.response as Response).output.filter((item) => item.type === "file_search_call");
      expect(calls.length, "a file_search_call in the final response").toBeGreaterThan(0);
      expect(calls[0]!.status).toBe("completed");
    }
  });
});
