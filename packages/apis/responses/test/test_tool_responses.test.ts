import { upstreamDataPath, upstreamTest, type UpstreamTestContext } from "@llama-stack-tests/stack";
import fs from "node:fs";
import path from "node:path";
import type { Response } from "openai/resources/responses/responses";
import { expect } from "vitest";

import {
  CUSTOM_TOOL_CASES,
  FILE_SEARCH_CASES,
  GET_WEATHER_LOCATION_TOOL,
  MCP_TOOL_CASES,
  MULTI_TURN_TOOL_CASES,
  MULTI_TURN_TOOL_STREAMING_CASES,
  type Tool,
  WEB_SEARCH_CASES,
  withMcpUrl,
} from "./cases.js";
import {
  DEFAULT_TOOL_NAMES,
  DEPENDENCY_TOOL_NAMES,
  expectAuthenticationError,
  expectBoilingPointAnswer,
  expectBoilingPointCall,
  expectBoilingPointTurn,
  expectToolListing,
  withMcpServer,
} from "./mcp.js";
import {
  COMPAT,
  CREATE,
  itemsOfType,
  outputAt,
  outputText,
  rejection,
  requireRoutes,
  responsesClient,
  StreamingValidator,
  TEXT,
  textModel,
} from "./responses.js";
import { attachFile, embeddingOf, newVectorStore, uploadFile } from "./vector-stores.js";

const FILE = "tests/integration/responses/test_tool_responses.py";
const TEXT_EMBEDDING = ["text_model_id", "embedding_model_id", "embedding_dimension"] as const;
const CALLS = "the model calls the tools it is told to";
type Ctx = UpstreamTestContext<unknown>;

upstreamTest(
  { file: FILE, name: "test_response_non_streaming_web_search", clients: COMPAT, models: TEXT, cases: WEB_SEARCH_CASES },
  async (t) => {
    await requireRoutes(t, CREATE);
    const { input, tools, expected } = t.param;
    const body = { model: textModel(t), input, tools, stream: false };
    const response = await responsesClient(t).create(body);
    if (t.can("tool_calling", "the model searches the web before answering")) {
      expect(response.output.length).toBeGreaterThan(1);
      const call = outputAt(response, 0, "web_search_call");
      expect(call.status).toBe("completed");
      const message = outputAt(response, 1, "message");
      expect(message.status).toBe("completed");
      expect(message.role).toBe("assistant");
      expect(message.content.length).toBeGreaterThan(0);
    }
    if (t.can("answer_quality", `the answer names "${expected}"`)) expect(outputText(response).toLowerCase().trim()).toContain(expected.toLowerCase());
  },
);

/** The file_search call that opens the response, when the model searched. */
function expectFileSearchCall(response: Response, withResults: boolean) {
  expect(response.output.length).toBeGreaterThan(1);
  const call = outputAt(response, 0, "file_search_call");
  expect(call.status).toBe("completed");
  expect(call.queries.length, "non-empty queries").toBeGreaterThan(0);
  if (withResults) expect(call.results?.length ?? 0, "results").toBeGreaterThan(0);
  else expect(call.results ?? [], "no results from an empty store").toHaveLength(0);
  return call;
}

const SEARCHES = "the model searches the vector store before answering";

upstreamTest(
  { file: FILE, name: "test_response_non_streaming_file_search", clients: COMPAT, models: TEXT_EMBEDDING, cases: FILE_SEARCH_CASES },
  async (t) => {
    await requireRoutes(t, CREATE);
    const client = responsesClient(t);
    const store = await newVectorStore(client, "test_vector_store", embeddingOf(t));
    const { fileContent, filePath, input, expected } = t.param;
    let name: string;
    let content: Buffer | string;
    if (fileContent !== undefined) {
      [name, content] = ["test_response_non_streaming_file_search.txt", fileContent];
    } else if (filePath !== undefined) {
      const local = upstreamDataPath(`responses/fixtures/${filePath}`);
      if (!fs.existsSync(local)) t.skip(`upstream's fixture ${filePath} is not available (upstream reference tree missing)`);
      [name, content] = [path.basename(filePath), fs.readFileSync(local)];
    } else {
      throw new Error("No file content or path provided for case");
    }
    const file = await uploadFile(client, name, content);
    await attachFile(client, store.id, file.id);

    const tools: Tool[] = t.param.tools!.map((tool) => (tool.type === "file_search" ? { ...tool, vector_store_ids: [store.id] } : tool));
    const body = { model: textModel(t), input, tools, stream: false, include: ["file_search_call.results"] };
    const response = await client.create(body);
    if (t.can("tool_calling", SEARCHES)) {
      const call = expectFileSearchCall(response, true);
      const top = call.results![0]!;
      expect(top.text?.toLowerCase()).toContain(expected.toLowerCase());
      expect(top.score).toBeGreaterThan(0);
    }
    if (t.can("answer_quality", `the answer names "${expected}"`)) expect(outputText(response).toLowerCase().trim()).toContain(expected.toLowerCase());
  },
);

upstreamTest(
  { file: FILE, name: "test_response_non_streaming_file_search_empty_vector_store", clients: COMPAT, models: TEXT_EMBEDDING },
  async (t) => {
    await requireRoutes(t, CREATE);
    const client = responsesClient(t);
    const store = await newVectorStore(client, "test_vector_store", embeddingOf(t));
    const response = await client.create({
      model: textModel(t),
      input: "How many experts does the Llama 4 Maverick model have?",
      tools: [{ type: "file_search", vector_store_ids: [store.id] }],
      stream: false,
      include: ["file_search_call.results"],
    });
    if (t.can("tool_calling", SEARCHES)) expectFileSearchCall(response, false);
    expect(outputText(response), "some output text").toBeTruthy();
  },
);

upstreamTest({ file: FILE, name: "test_response_sequential_file_search", clients: COMPAT, models: TEXT_EMBEDDING }, async (t) => {
  await requireRoutes(t, CREATE);
  const client = responsesClient(t);
  const store = await newVectorStore(client, "test_vector_store", embeddingOf(t));
  const file = await uploadFile(
    client,
    "test_sequential_file_search.txt",
    "The Llama 4 Maverick model has 128 experts in its mixture of experts architecture.",
  );
  await attachFile(client, store.id, file.id);
  const tools = [{ type: "file_search", vector_store_ids: [store.id] }];

  const model = textModel(t);
  const include = ["file_search_call.results"];
  const input = "How many experts does the Llama 4 Maverick model have?";
  const response = await client.create({ model, input, tools, stream: false, include });
  if (t.can("tool_calling", SEARCHES)) expectFileSearchCall(response, true);
  if (t.can("answer_quality", 'the answer mentions "128" or "experts"')) {
    const text = outputText(response);
    expect(text.includes("128") || text.toLowerCase().includes("experts"), text).toBe(true);
  }

  const second = await client.create({
    model,
    input: "Can you tell me more about the architecture?",
    tools,
    stream: false,
    previous_response_id: response.id,
    include,
  });
  expect(second.output.length).toBeGreaterThanOrEqual(1);
  expect(outputText(second)).toBeTruthy();
  const messages = itemsOfType(second, "message");
  expect(messages.length).toBeGreaterThanOrEqual(1);
  expect(messages.at(-1)!.role).toBe("assistant");
  if (t.can("answer_quality", "the follow-up answer finishes within the token limit")) expect(messages.at(-1)!.status).toBe("completed");
});

upstreamTest({ file: FILE, name: "test_response_non_streaming_mcp_tool", clients: COMPAT, models: TEXT, cases: MCP_TOOL_CASES }, async (t) => {
  await requireRoutes(t, CREATE);
  const client = responsesClient(t);
  const { input } = t.param;
  await withMcpServer({}, async (url) => {
    const response = await client.create({ model: textModel(t), input, tools: withMcpUrl(t.param.tools!, url), stream: false });
    expectBoilingPointTurn(t, response);
  });

  await withMcpServer({ authToken: "test-token" }, async (url) => {
    const tools = withMcpUrl(t.param.tools!, url);
    await expectAuthenticationError(client, { model: textModel(t), input, tools, stream: false });

    const authorized = tools.map((tool) => (tool.type === "mcp" ? { ...tool, authorization: "test-token" } : tool));
    const response = await client.create({ model: textModel(t), input, tools: authorized, stream: false });
    expectToolListing(response, "localmcp", DEFAULT_TOOL_NAMES);
    if (t.can("tool_calling", CALLS)) expect(response.output.length).toBeGreaterThanOrEqual(3);
  });
});

upstreamTest({ file: FILE, name: "test_response_sequential_mcp_tool", clients: COMPAT, models: TEXT, cases: MCP_TOOL_CASES }, async (t) => {
  await requireRoutes(t, CREATE);
  const client = responsesClient(t);
  const { input } = t.param;
  await withMcpServer({}, async (url) => {
    const tools = withMcpUrl(t.param.tools!, url);
    const response = await client.create({ model: textModel(t), input, tools, stream: false });
    expectBoilingPointTurn(t, response);

    const second = await client.create({ model: textModel(t), input, tools, stream: false, previous_response_id: response.id });
    expect(second.output.length).toBeGreaterThanOrEqual(1);
    if (t.can("tool_calling", CALLS)) expectBoilingPointAnswer(second);
  });
});

const APPROVE_CASES = [
  { id: "True", value: true },
  { id: "False", value: false },
];

// Upstream stacks `approve` over `case`: ids read <approve>-<case>.
const APPROVAL_CASES = APPROVE_CASES.flatMap((a) => MCP_TOOL_CASES.map((c) => ({ id: `${a.id}-${c.id}`, value: { approve: a.value, ...c.value } })));

upstreamTest({ file: FILE, name: "test_response_mcp_tool_approval", clients: COMPAT, models: TEXT, cases: APPROVAL_CASES }, async (t) => {
  await requireRoutes(t, CREATE);
  const client = responsesClient(t);
  const { input, approve } = t.param;
  await withMcpServer({}, async (url) => {
    const tools = withMcpUrl(t.param.tools!, url).map((tool) => ({ ...tool, require_approval: "always" }));
    const response = await client.create({ model: textModel(t), input, tools, stream: false });
    expectToolListing(response, "localmcp", DEFAULT_TOOL_NAMES);
    // Without a tool call there is no approval request to answer: the rest of the case needs one.
    if (!t.can("tool_calling", "the model calls get_boiling_point, which asks for approval")) return;
    expect(response.output.length).toBeGreaterThanOrEqual(2);
    const request = outputAt(response, 1, "mcp_approval_request");
    expect(request.name).toBe("get_boiling_point");
    const args = JSON.parse(request.arguments) as { liquid_name?: string; celsius?: boolean };
    expect(args.liquid_name).toBe("myawesomeliquid");
    expect(args.celsius ?? true, "celsius defaults to true").toBe(true);

    const answered = await client.create({
      previous_response_id: response.id,
      model: textModel(t),
      input: [{ type: "mcp_approval_response", approval_request_id: request.id, approve }],
      tools,
      stream: false,
    });
    if (approve) {
      expect(answered.output.length).toBeGreaterThanOrEqual(3);
      expectToolListing(answered, "localmcp", DEFAULT_TOOL_NAMES);
      expectBoilingPointCall(answered, 1);
      expectBoilingPointAnswer(answered);
    } else {
      expect(answered.output.length).toBeGreaterThanOrEqual(1);
      for (const item of answered.output) expect(item.type).not.toBe("mcp_call");
    }
  });
});

upstreamTest({ file: FILE, name: "test_response_non_streaming_custom_tool", clients: COMPAT, models: TEXT, cases: CUSTOM_TOOL_CASES }, async (t) => {
  await requireRoutes(t, CREATE);
  const { input, tools } = t.param;
  const response = await responsesClient(t).create({ model: textModel(t), input, tools, stream: false });
  if (t.can("tool_calling", "the model answers with a single get_weather call")) {
    expect(response.output).toHaveLength(1);
    const call = outputAt(response, 0, "function_call");
    expect(call.status).toBe("completed");
    expect(call.name).toBe("get_weather");
  }
});

upstreamTest({ file: FILE, name: "test_response_function_call_ordering_1", clients: COMPAT, models: TEXT, cases: CUSTOM_TOOL_CASES }, async (t) => {
  await requireRoutes(t, CREATE);
  const client = responsesClient(t);
  const { input, tools } = t.param;
  const response = await client.create({ model: textModel(t), input, tools, stream: false });
  // The follow-up answers the call by its id: without a call the rest of the case cannot run.
  if (!t.can("tool_calling", "the model answers with a single get_weather call")) return;
  expect(response.output).toHaveLength(1);
  const call = outputAt(response, 0, "function_call");
  expect(call.status).toBe("completed");
  expect(call.name).toBe("get_weather");

  const inputs = [
    { role: "user", content: input },
    { type: "function_call_output", output: "It is raining.", call_id: call.call_id },
  ];
  const next = await client.create({ model: textModel(t), input: inputs, tools, stream: false, previous_response_id: response.id });
  expect(next.output).toHaveLength(1);
});

upstreamTest({ file: FILE, name: "test_response_function_call_ordering_2", clients: COMPAT, models: TEXT }, async (t) => {
  await requireRoutes(t, CREATE);
  const client = responsesClient(t);
  const tools = [GET_WEATHER_LOCATION_TOOL];
  const inputs: unknown[] = [{ role: "user", content: "Is the weather better in San Francisco or Los Angeles?" }];
  const response = await client.create({ model: textModel(t), input: inputs, tools, stream: false });
  const calls = itemsOfType(response, "function_call").filter((c) => c.status === "completed" && c.name === "get_weather");
  // Upstream appends the call items as the SDK parsed them, then one output per call.
  inputs.push(...calls);
  for (const call of calls) {
    inputs.push({ type: "function_call_output", output: call.arguments.includes("Los Angeles") ? "It is cloudy." : "It is raining.", call_id: call.call_id });
  }
  const next = await client.create({ model: textModel(t), input: inputs, tools, stream: false });
  if (t.can("tool_calling", "the model answers the tool outputs with one message")) expect(next.output).toHaveLength(1);
  if (t.can("answer_quality", 'the answer names "Los Angeles"')) expect(outputText(next)).toContain("Los Angeles");
});

/** Upstream's checks of a finished multi-step MCP turn over the dependency tools. */
function expectDependencyTurn(t: Ctx, response: Response, expected: string): void {
  const listings = itemsOfType(response, "mcp_list_tools");
  expect(listings, "exactly one mcp_list_tools").toHaveLength(1);
  expect(listings[0]!.server_label).toBe("localmcp");
  expect(new Set(listings[0]!.tools.map((tool) => tool.name))).toEqual(new Set(DEPENDENCY_TOOL_NAMES));
  expect(listings[0]!.tools).toHaveLength(5);

  const calls = itemsOfType(response, "mcp_call");
  if (t.can("tool_calling", "the model calls the MCP tools step by step")) expect(calls.length).toBeGreaterThanOrEqual(1);
  for (const call of calls) expect(call.error ?? null, `MCP call error: ${call.error}`).toBeNull();

  const messages = itemsOfType(response, "message");
  expect(messages.length, "at least one message").toBeGreaterThanOrEqual(1);
  const final = messages.at(-1)!;
  expect(final.role).toBe("assistant");
  expect(final.content.length).toBeGreaterThan(0);
  if (t.can("answer_quality", `the summary finishes within the token limit and names "${expected}"`)) {
    expect(final.status).toBe("completed");
    expect(outputText(response).toLowerCase()).toContain(expected.toLowerCase());
  }
}

upstreamTest(
  { file: FILE, name: "test_response_non_streaming_multi_turn_tool_execution", clients: COMPAT, models: TEXT, cases: MULTI_TURN_TOOL_CASES },
  async (t) => {
    await requireRoutes(t, CREATE);
    await withMcpServer({ tools: "dependency" }, async (url) => {
      const response = await responsesClient(t).create({ input: t.param.input, model: textModel(t), tools: withMcpUrl(t.param.tools!, url) });
      expectDependencyTurn(t, response, t.param.expected);
    });
  },
);

upstreamTest(
  { file: FILE, name: "test_response_streaming_multi_turn_tool_execution", clients: COMPAT, models: TEXT, cases: MULTI_TURN_TOOL_STREAMING_CASES },
  async (t) => {
    await requireRoutes(t, CREATE);
    await withMcpServer({ tools: "dependency" }, async (url) => {
      const events = await responsesClient(t).stream({ input: t.param.input, model: textModel(t), tools: withMcpUrl(t.param.tools!, url) });
      const validator = new StreamingValidator(events);
      validator.basicEventSequence();
      validator.responseConsistency();
      const calls = t.can("tool_calling", "the model calls the MCP tools step by step");
      if (calls) validator.hasToolCalls();
      validator.hasMcpEvents(calls);
      validator.richStreaming();

      const last = events.at(-1);
      if (last && "response" in last) expectDependencyTurn(t, last.response, t.param.expected);
    });
  },
);

/** The response's max_tool_calls, which this SDK version's Response type does not declare. */
function maxToolCalls(response: Response): unknown {
  return (response as Response & { max_tool_calls?: unknown }).max_tool_calls;
}

const LOCATION = { type: "string", description: "The city name (e.g., 'New York', 'London')" };

upstreamTest({ file: FILE, name: "test_max_tool_calls_with_function_tools", clients: COMPAT, models: TEXT }, async (t) => {
  await requireRoutes(t, CREATE);
  const tools = [
    { type: "function", name: "get_weather", description: "Get weather information for a specified location", parameters: { type: "object", properties: { location: LOCATION } } },
    { type: "function", name: "get_time", description: "Get current time for a specified location", parameters: { type: "object", properties: { location: LOCATION } } },
  ];
  const response = await responsesClient(t).create({
    model: textModel(t),
    input: "Can you tell me the weather in Paris and the current time?",
    tools,
    stream: false,
    max_tool_calls: 1,
  });
  // max_tool_calls limits built-in and MCP calls only: both function calls come back.
  if (t.can("tool_calling", "the model calls get_weather and get_time")) {
    expect(response.output).toHaveLength(2);
    for (const [i, name] of ["get_weather", "get_time"].entries()) {
      const call = outputAt(response, i, "function_call");
      expect(call.name).toBe(name);
      expect(call.status).toBe("completed");
    }
  }
  expect(maxToolCalls(response)).toBe(1);
});

upstreamTest({ file: FILE, name: "test_max_tool_calls_invalid", clients: COMPAT, models: TEXT }, async (t) => {
  await requireRoutes(t, CREATE);
  const refused = await rejection(
    responsesClient(t).create({
      model: textModel(t),
      input: "Search for today's top technology news.",
      tools: [{ type: "web_search" }],
      stream: false,
      max_tool_calls: 0,
    }),
  );
  expect(refused.status).toBe(400);
  expect(refused.message).toContain("Invalid max_tool_calls=0; should be >= 1");
});

upstreamTest({ file: FILE, name: "test_max_tool_calls_with_mcp_tools", clients: COMPAT, models: TEXT }, async (t) => {
  await requireRoutes(t, CREATE);
  const client = responsesClient(t);
  await withMcpServer({ tools: "dependency" }, async (url) => {
    const input = "Get the experiment ID for 'boiling_point' and get the user ID for 'charlie'";
    const tools = [{ type: "mcp", server_label: "localmcp", server_url: url }];
    const counts = (response: Response) => ({
      listings: itemsOfType(response, "mcp_list_tools").length,
      calls: itemsOfType(response, "mcp_call").length,
      messages: itemsOfType(response, "message").length,
      total: response.output.length,
    });
    const calls = t.can("tool_calling", "the model calls both tools, and max_tool_calls caps them");

    const unlimited = await client.create({ model: textModel(t), input, tools, stream: false });
    if (calls) expect(counts(unlimited)).toEqual({ listings: 1, calls: 2, messages: 1, total: 4 });

    const one = await client.create({ model: textModel(t), input, tools, stream: false, max_tool_calls: 1 });
    if (calls) expect(counts(one)).toEqual({ listings: 1, calls: 1, messages: 1, total: 3 });
    expect(maxToolCalls(one)).toBe(1);

    const five = await client.create({ model: textModel(t), input, tools, stream: false, max_tool_calls: 5 });
    if (calls) expect(counts(five)).toEqual({ listings: 1, calls: 2, messages: 1, total: 4 });
    expect(maxToolCalls(five)).toBe(5);
  });
});
