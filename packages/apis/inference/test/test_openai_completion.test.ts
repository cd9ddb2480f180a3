import { upstreamTest, type ClientVariant, type UpstreamCase } from "@llama-stack-tests/stack";
import { expect } from "vitest";
import {
  ANSWER_FORMAT_SCHEMA,
  COMPLETION_CASES,
  QUESTION_CASES,
  STRUCTURED_OUTPUT_CASE,
  TOOL_CALLING_CASE,
  parseAnswerFormat,
  type CompletionCaseId,
  type QuestionCaseId,
} from "./data/inference-cases.js";
import { collect, compatClient, type ChatBody, type CompatClient } from "./support/compat.js";
import { requiredModel } from "./support/models.js";
import { upstreamHelloWorldPdf } from "./support/pdf.js";
import {
  NO_COMPLETION_LOGPROBS,
  NO_COMPLETION_STOP_SEQUENCE,
  NO_N_PARAM,
  NO_OPENAI_CHAT_COMPLETION,
  NO_OPENAI_COMPLETION,
  SUFFIX_MODEL,
} from "./support/provider-support.js";
import { providerFromModel, skipIfProviderIn } from "./support/providers.js";
import { normalizeText } from "./support/text.js";

const FILE = "tests/integration/inference/test_openai_completion.py";
/** Upstream's `compat_client` fixture params, in order. */
const COMPAT: readonly ClientVariant[] = ["openai_client", "client_with_models"];
const TEXT = ["text_model_id"] as const;

function completionCase(id: CompletionCaseId): UpstreamCase<CompletionCaseId> {
  return { id, value: id };
}
function questionCases(...ids: QuestionCaseId[]): UpstreamCase<QuestionCaseId>[] {
  return ids.map((id) => ({ id, value: id }));
}
const STREAMING_QUESTIONS = questionCases("inference:chat_completion:streaming_01", "inference:chat_completion:streaming_02");
const STREAM_CASES: UpstreamCase<boolean>[] = [
  { id: "True", value: true },
  { id: "False", value: false },
];

const noCompletions = "doesn't support OpenAI completions";
const noChat = "doesn't support OpenAI chat completions";

/** The text model, skipping the case where its provider has no OpenAI completions. */
async function completionsModel(t: Parameters<typeof compatClient>[0]): Promise<string> {
  const model = requiredModel(t, "text");
  await skipIfProviderIn(t, model, NO_OPENAI_COMPLETION, noCompletions);
  return model;
}

upstreamTest(
  { file: FILE, name: "test_openai_completion_non_streaming", models: TEXT, cases: [completionCase("inference:completion:sanity")] },
  async (t) => {
    const model = await completionsModel(t);
    // Upstream prefixes the prompt because small models answer too tersely otherwise.
    const prompt = "Respond to this question and explain your answer. " + COMPLETION_CASES[t.param].content;
    const response = await t.client.completions.create({ model, prompt, stream: false });
    expect(response.choices.length).toBeGreaterThan(0);
    expect(response.choices[0]!.text.length).toBeGreaterThan(10);
  },
);

upstreamTest(
  { file: FILE, name: "test_openai_completion_non_streaming_suffix", models: TEXT, cases: [completionCase("inference:completion:suffix")] },
  async (t) => {
    const model = await completionsModel(t);
    // Fill-in-the-middle needs a model trained for it; upstream runs this with one model on ollama only.
    if (model !== SUFFIX_MODEL) t.skip(`Suffix is not supported for the model: ${model}.`);
    const provider = await providerFromModel(t, model);
    if (provider.provider_type !== "remote::ollama") t.skip(`Provider ${provider.provider_type} doesn't support suffix.`);
    const tc = COMPLETION_CASES[t.param] as { content: string; suffix: string };
    const response = await t.client.completions.create({
      model,
      prompt: tc.content,
      stream: false,
      suffix: tc.suffix,
      max_tokens: 10,
    });
    expect(response.choices.length).toBeGreaterThan(0);
    const text = response.choices[0]!.text;
    expect(text.length).toBeGreaterThan(5);
    if (t.can("answer_quality", "suffix completion names France")) expect(normalizeText(text)).toContain("france");
  },
);

upstreamTest(
  { file: FILE, name: "test_openai_completion_streaming", models: TEXT, cases: [completionCase("inference:completion:sanity")] },
  async (t) => {
    const model = await completionsModel(t);
    const prompt = "Respond to this question and explain your answer. " + COMPLETION_CASES[t.param].content;
    const stream = await t.client.completions.create({ model, prompt, stream: true, max_tokens: 50 });
    const chunks = await collect(stream);
    const content = chunks
      .map((chunk) => chunk.choices[0]?.text ?? "")
      .join("")
      .toLowerCase()
      .trim();
    expect(content.length).toBeGreaterThan(10);
  },
);

upstreamTest({ file: FILE, name: "test_openai_completion_guided_choice", models: TEXT }, async (t) => {
  const model = requiredModel(t, "text");
  const provider = await providerFromModel(t, model);
  if (provider.provider_type !== "remote::vllm") {
    t.skip(`Model ${model} hosted by ${provider.provider_type} doesn't support vllm extra_body parameters.`);
  }
  const params = {
    model,
    prompt: "I am feeling really sad today.",
    stream: false,
    guided_choice: ["joy", "sadness"],
  } as Parameters<typeof t.client.completions.create>[0] & { stream: false };
  const response = await t.client.completions.create(params);
  expect(response.choices.length).toBeGreaterThan(0);
  // guided_choice constrains decoding, so this holds for any model vLLM serves.
  expect(["joy", "sadness"]).toContain(response.choices[0]!.text);
});

/** The text model and the variant's client, skipping the case where the provider has no OpenAI chat completions. */
async function chatTarget(t: Parameters<typeof compatClient>[0]): Promise<{ model: string; client: CompatClient }> {
  const model = requiredModel(t, "text");
  await skipIfProviderIn(t, model, NO_OPENAI_CHAT_COMPLETION, noChat);
  return { model, client: compatClient(t) };
}

upstreamTest(
  {
    file: FILE,
    name: "test_openai_chat_completion_non_streaming",
    clients: COMPAT,
    models: TEXT,
    cases: questionCases("inference:chat_completion:non_streaming_01", "inference:chat_completion:non_streaming_02"),
  },
  async (t) => {
    const { model, client } = await chatTarget(t);
    const { question, expected } = QUESTION_CASES[t.param];
    const response = await client.createChat({ model, messages: [{ role: "user", content: question }], stream: false });
    expect(response.object).toBe("chat.completion");
    expect(response.choices.length).toBeGreaterThan(0);
    const content = (response.choices[0]!.message.content ?? "").toLowerCase().trim();
    expect(content.length).toBeGreaterThan(0);
    if (t.can("answer_quality", `answer names ${expected}`)) {
      expect(normalizeText(content)).toContain(normalizeText(expected));
    }
  },
);

upstreamTest(
  {
    file: FILE,
    name: "test_openai_chat_completion_streaming",
    clients: COMPAT,
    models: TEXT,
    cases: STREAMING_QUESTIONS,
  },
  async (t) => {
    const { model, client } = await chatTarget(t);
    const { question, expected } = QUESTION_CASES[t.param];
    const chunks = await collect(await client.streamChat({ model, messages: [{ role: "user", content: question }] }));
    const pieces: string[] = [];
    for (const chunk of chunks) {
      expect(chunk.object).toBe("chat.completion.chunk");
      // Some providers (Azure) send a first chunk without choices.
      const content = chunk.choices[0]?.delta.content;
      if (content) pieces.push(content.toLowerCase().trim());
    }
    expect(pieces.length).toBeGreaterThan(0);
    if (t.can("answer_quality", `streamed answer names ${expected}`)) {
      expect(normalizeText(pieces.join(""))).toContain(normalizeText(expected));
    }
  },
);

upstreamTest(
  {
    file: FILE,
    name: "test_openai_chat_completion_streaming_with_n",
    clients: COMPAT,
    models: TEXT,
    cases: STREAMING_QUESTIONS,
  },
  async (t) => {
    const { model, client } = await chatTarget(t);
    await skipIfProviderIn(t, model, NO_N_PARAM, "doesn't support n param");
    const { question, expected } = QUESTION_CASES[t.param];
    const stream = await client.streamChat({ model, messages: [{ role: "user", content: question }], n: 2 });
    const byIndex = new Map<number, string>();
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        if (choice.delta.content) {
          byIndex.set(choice.index, (byIndex.get(choice.index) ?? "") + choice.delta.content.toLowerCase().trim());
        }
      }
    }
    expect(byIndex.size).toBe(2);
    expect([...byIndex.keys()].sort()).toEqual([0, 1]);
    if (t.can("answer_quality", `both choices name ${expected}`)) {
      for (const [index, content] of byIndex) {
        expect(normalizeText(content), `choice ${index}`).toContain(normalizeText(expected));
      }
    }
  },
);

/** Polls the stored-completions list until `id` shows up (upstream: 10 tries, 0.1 s apart). */
async function waitUntilStored(client: CompatClient, id: string): Promise<void> {
  for (let tries = 0; tries < 10; tries++) {
    const listed = await client.listChat({ limit: 1000 });
    if (listed.data.some((completion) => completion.id === id)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Response ${id} not found in GET /v1/chat/completions after 1 second`);
}

/** Sends one chat completion, streamed or not, and waits until the stack lists it as stored. */
async function storedChat(
  client: CompatClient,
  body: ChatBody,
  stream: boolean,
): Promise<{ id: string; content: string | null | undefined }> {
  let responseId: string | undefined;
  let content: string | null | undefined;
  if (stream) {
    content = "";
    for await (const chunk of await client.streamChat(body)) {
      responseId ??= chunk.id || undefined;
      content += chunk.choices[0]?.delta.content ?? "";
    }
  } else {
    const response = await client.createChat({ ...body, stream: false });
    responseId = response.id;
    content = response.choices[0]!.message.content;
  }
  expect(responseId).toEqual(expect.any(String));
  const id = responseId!;
  await waitUntilStored(client, id);
  return { id, content };
}

function firstInputContent(retrieved: { input_messages: Array<{ content?: unknown }> }): unknown {
  expect(retrieved.input_messages.length).toBeGreaterThan(0);
  return retrieved.input_messages[0]!.content;
}

upstreamTest(
  { file: FILE, name: "test_inference_store", clients: COMPAT, models: TEXT, cases: STREAM_CASES },
  async (t) => {
    const { model, client } = await chatTarget(t);
    const message = "Hello, world!";
    const body = { model, messages: [{ role: "user" as const, content: message }] };
    const { id, content } = await storedChat(client, body, t.param);

    const retrieved = await client.retrieveChat(id);
    expect(retrieved.id).toBe(id);
    expect(retrieved.choices[0]!.message.content).toBe(content);
    expect(firstInputContent(retrieved)).toBe(message);
  },
);

upstreamTest(
  { file: FILE, name: "test_inference_store_tool_calls", clients: COMPAT, models: TEXT, cases: STREAM_CASES },
  async (t) => {
    const { model, client } = await chatTarget(t);
    const message = "What's the weather in Tokyo? Use the get_weather function to get the weather.";
    const body = {
      model,
      messages: [{ role: "user" as const, content: message }],
      tools: [
        {
          type: "function" as const,
          function: {
            name: "get_weather",
            description: "Get the weather in a given city",
            parameters: {
              type: "object",
              properties: { city: { type: "string", description: "The city to get the weather for" } },
            },
          },
        },
      ],
    };
    const { id, content } = await storedChat(client, body, t.param);
    const listed = await client.listChat({ limit: 1000 });
    expect(listed.data.map((completion) => completion.id)).toContain(id);

    const retrieved = await client.retrieveChat(id);
    expect(retrieved.id).toBe(id);
    expect(firstInputContent(retrieved)).toBe(message);
    const toolCalls = retrieved.choices[0]!.message.tool_calls;
    if (toolCalls && toolCalls.length > 0) {
      // Small models: only the shape of the stored tool call is checked, not its contents.
      expect(toolCalls).toHaveLength(1);
      expect(toolCalls[0]!.function?.name).toBeTruthy();
      expect(toolCalls[0]!.function?.arguments).toBeTruthy();
    } else {
      // An unparsed tool call comes back as content, which must round-trip unchanged.
      expect(retrieved.choices[0]!.message.content).toBe(content);
    }
  },
);

upstreamTest({ file: FILE, name: "test_openai_chat_completion_non_streaming_with_file", models: TEXT }, async (t) => {
  const model = requiredModel(t, "text");
  const provider = await providerFromModel(t, model);
  if (provider.provider_type !== "remote::openai") {
    t.skip(`Model ${model} hosted by ${provider.provider_type} doesn't support chat completion calls with base64 encoded files.`);
  }
  const pdf = upstreamHelloWorldPdf().toString("base64");
  const response = await t.openai.chat.completions.create({
    model,
    messages: [
      { role: "user", content: "Describe what you see in this PDF file." },
      {
        role: "user",
        content: [
          {
            type: "file",
            file: { filename: "my-temp-hello-world-pdf", file_data: `data:application/pdf;base64,${pdf}` },
          },
        ],
      },
    ],
    stream: false,
  });
  expect(response.choices.length).toBeGreaterThan(0);
  const content = normalizeText((response.choices[0]!.message.content ?? "").trim());
  if (t.can("answer_quality", "description of the PDF quotes 'hello world'")) expect(content).toContain("hello world");
});

upstreamTest(
  { file: FILE, name: "test_openai_completion_stop_sequence", models: TEXT, cases: [completionCase("inference:completion:stop_sequence")] },
  async (t) => {
    const model = await completionsModel(t);
    await skipIfProviderIn(t, model, NO_COMPLETION_STOP_SEQUENCE, "doesn't support /v1/completions stop sequence");
    const prompt = COMPLETION_CASES[t.param].content;

    const single = await t.openai.completions.create({ model, prompt, stop: "1963", stream: false });
    expect(single.choices.length).toBeGreaterThan(0);
    expect(single.choices[0]!.text).not.toContain("1963");

    const list = await t.openai.completions.create({ model, prompt, stop: ["blathering", "1963"], stream: false });
    expect(list.choices.length).toBeGreaterThan(0);
    expect(list.choices[0]!.text).not.toContain("1963");
  },
);

interface LogprobsLike {
  tokens?: string[];
  token_logprobs?: number[];
  top_logprobs?: Array<Record<string, number>>;
}

/** Every sampled token has its logprob, and it appears among exactly `topN` alternatives. */
function expectConsistentLogprobs(logprobs: LogprobsLike | null | undefined, topN: number): void {
  expect(logprobs, "Logprobs should not be empty").toBeTruthy();
  const { tokens = [], token_logprobs = [], top_logprobs = [] } = logprobs!;
  expect(token_logprobs.length, "Response tokens should not be empty").toBeGreaterThan(0);
  expect(tokens).toHaveLength(token_logprobs.length);
  expect(top_logprobs).toHaveLength(token_logprobs.length);
  tokens.forEach((token, i) => {
    expect(top_logprobs[i]![token]).toBe(token_logprobs[i]);
    expect(Object.keys(top_logprobs[i]!)).toHaveLength(topN);
  });
}

/**
 * Llama Stack types `/v1/completions` `logprobs` as a boolean, so upstream's integer `logprobs` is
 * rejected with 400 by the stack itself wherever a provider runs these tests; upstream never notices
 * because every provider it records with skips them.
 */
const INTEGER_LOGPROBS = "Llama Stack types /v1/completions logprobs as a boolean and rejects upstream's integer logprobs with 400";

upstreamTest(
  { file: FILE, name: "test_openai_completion_logprobs", models: TEXT, cases: [completionCase("inference:completion:log_probs")], knownFailure: INTEGER_LOGPROBS },
  async (t) => {
    const model = await completionsModel(t);
    await skipIfProviderIn(t, model, NO_COMPLETION_LOGPROBS, "doesn't support /v1/completions logprobs");
    const response = await t.openai.completions.create({ model, prompt: COMPLETION_CASES[t.param].content, logprobs: 5 });
    expect(response.choices.length).toBeGreaterThan(0);
    const choice = response.choices[0]!;
    expect(choice.text, "Response text should not be empty").toBeTruthy();
    expectConsistentLogprobs(choice.logprobs, 5);
  },
);

upstreamTest(
  {
    file: FILE,
    name: "test_openai_completion_logprobs_streaming",
    models: TEXT,
    cases: [completionCase("inference:completion:log_probs")],
    knownFailure: INTEGER_LOGPROBS,
  },
  async (t) => {
    const model = await completionsModel(t);
    await skipIfProviderIn(t, model, NO_COMPLETION_LOGPROBS, "doesn't support /v1/completions logprobs");
    const stream = await t.openai.completions.create({
      model,
      prompt: COMPLETION_CASES[t.param].content,
      logprobs: 3,
      stream: true,
      max_tokens: 5,
    });
    const chunks = await collect(stream);
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) {
      const choice = chunk.choices[0];
      expect(choice).toBeDefined();
      if (choice!.text) expectConsistentLogprobs(choice!.logprobs, 3);
      else expect(choice!.logprobs, "Logprobs should be empty").toBeFalsy();
    }
  },
);

const TOOL_CALLING = [{ id: "inference:chat_completion:tool_calling", value: TOOL_CALLING_CASE }] as const;
const expectedToolName = TOOL_CALLING_CASE.tools[0]!.function.name;

upstreamTest(
  { file: FILE, name: "test_openai_chat_completion_with_tools", models: TEXT, cases: TOOL_CALLING },
  async (t) => {
    const response = await t.openai.chat.completions.create({
      model: requiredModel(t, "text"),
      messages: t.param.messages,
      tools: t.param.tools,
      tool_choice: "auto",
      stream: false,
    });
    expect(response.choices).toHaveLength(1);
    if (t.can("tool_calling", `one ${expectedToolName} call with the location argument`)) {
      const toolCalls = response.choices[0]!.message.tool_calls ?? [];
      expect(toolCalls).toHaveLength(1);
      const call = toolCalls[0]!;
      expect(call.type).toBe("function");
      if (call.type !== "function") return;
      expect(call.function.name).toBe(expectedToolName);
      expect(call.function.arguments).toContain("location");
      expect(call.function.arguments).toContain(t.param.expected.location);
    }
  },
);

upstreamTest(
  { file: FILE, name: "test_openai_chat_completion_with_tools_and_streaming", models: TEXT, cases: TOOL_CALLING },
  async (t) => {
    const stream = await t.openai.chat.completions.create({
      model: requiredModel(t, "text"),
      messages: t.param.messages,
      tools: t.param.tools,
      tool_choice: "auto",
      stream: true,
    });
    const toolCalls: Array<{ name: string; arguments: string }> = [];
    let chunkCount = 0;
    for await (const chunk of stream) {
      chunkCount++;
      expect(chunk.object).toBe("chat.completion.chunk");
      // Upstream accumulates by position within each chunk's delta list.
      chunk.choices[0]?.delta.tool_calls?.forEach((delta, i) => {
        while (toolCalls.length <= i) toolCalls.push({ name: "", arguments: "" });
        if (delta.function?.name) toolCalls[i]!.name = delta.function.name;
        if (delta.function?.arguments) toolCalls[i]!.arguments += delta.function.arguments;
      });
    }
    expect(chunkCount).toBeGreaterThan(0);
    if (t.can("tool_calling", `one streamed ${expectedToolName} call with the location argument`)) {
      expect(toolCalls).toHaveLength(1);
      expect(toolCalls[0]!.name).toBe(expectedToolName);
      expect(toolCalls[0]!.arguments).toContain("location");
      expect(toolCalls[0]!.arguments).toContain(t.param.expected.location);
    }
  },
);

upstreamTest(
  { file: FILE, name: "test_openai_chat_completion_with_tool_choice_none", models: TEXT, cases: TOOL_CALLING },
  async (t) => {
    const response = await t.openai.chat.completions.create({
      model: requiredModel(t, "text"),
      messages: t.param.messages,
      tools: t.param.tools,
      tool_choice: "none",
      stream: false,
    });
    expect(response.choices).toHaveLength(1);
    const toolCalls = response.choices[0]!.message.tool_calls;
    expect(toolCalls == null || toolCalls.length === 0, `tool_choice none yet got ${JSON.stringify(toolCalls)}`).toBe(true);
  },
);

upstreamTest(
  {
    file: FILE,
    name: "test_openai_chat_completion_structured_output",
    models: TEXT,
    cases: [{ id: "inference:chat_completion:structured_output", value: STRUCTURED_OUTPUT_CASE }],
  },
  async (t) => {
    const response = await t.openai.chat.completions.create({
      model: requiredModel(t, "text"),
      messages: t.param.messages,
      response_format: {
        type: "json_schema",
        json_schema: { name: "AnswerFormat", schema: ANSWER_FORMAT_SCHEMA },
      },
      stream: false,
    });
    expect(response.choices.length).toBeGreaterThan(0);
    const content = response.choices[0]!.message.content;
    expect(typeof content).toBe("string");
    if (!t.can("structured_output", "content is a JSON document valid for AnswerFormat")) return;
    const answer = parseAnswerFormat(content!);
    if (t.can("answer_quality", "AnswerFormat names Michael Jordan, born 1963")) {
      const { expected } = t.param;
      expect(answer.first_name.toLowerCase()).toContain(expected.first_name.toLowerCase());
      expect(answer.last_name.toLowerCase()).toContain(expected.last_name.toLowerCase());
      expect(answer.year_of_birth).toBe(expected.year_of_birth);
    }
  },
);
