import { upstreamTest, type UpstreamTestContext } from "@llama-stack-tests/stack";
import { expect } from "vitest";

import { BASIC_CASES, IMAGE_CASES, MULTI_TURN_CASES, MULTI_TURN_IMAGE_CASES, type Turn } from "./cases.js";
import {
  COMPAT,
  CREATE,
  outputText,
  requireRoutes,
  responsesClient,
  RETRIEVE,
  streamEnd,
  StreamingValidator,
  TEXT,
  textModel,
} from "./responses.js";

const FILE = "tests/integration/responses/test_basic_responses.py";
const QUALITY = (expected: string) => `the answer names "${expected}"`;

function expectUsage(usage: { input_tokens: number; output_tokens: number; total_tokens: number } | null | undefined): void {
  expect(usage, "the response reports usage").toBeTruthy();
  expect(usage!.input_tokens).toBeGreaterThan(0);
  expect(usage!.output_tokens).toBeGreaterThan(0);
  expect(usage!.total_tokens, "total = input + output").toBe(usage!.input_tokens + usage!.output_tokens);
}

upstreamTest({ file: FILE, name: "test_response_non_streaming_basic", clients: COMPAT, models: TEXT, cases: BASIC_CASES }, async (t) => {
  await requireRoutes(t, CREATE, RETRIEVE);
  const client = responsesClient(t);
  const model = textModel(t);
  const { input, expected } = t.param;
  const response = await client.create({ model, input, stream: false });
  const text = outputText(response).toLowerCase().trim();
  expect(text.length).toBeGreaterThan(0);
  if (t.can("answer_quality", QUALITY(expected))) expect(text).toContain(expected.toLowerCase());
  expectUsage(response.usage);

  const retrieved = await client.retrieve(response.id);
  expect(outputText(retrieved)).toBe(outputText(response));

  const next = await client.create({ model, input: "Repeat your previous response in all caps.", previous_response_id: response.id });
  const nextText = outputText(next).trim();
  if (t.can("answer_quality", "the follow-up repeats the answer in capitals")) expect(nextText).toContain(expected.toUpperCase());
});

upstreamTest({ file: FILE, name: "test_response_streaming_basic", clients: COMPAT, models: TEXT, cases: BASIC_CASES }, async (t) => {
  await requireRoutes(t, CREATE, RETRIEVE);
  const client = responsesClient(t);
  const { input, expected } = t.param;
  const events = await client.stream({ model: textModel(t), input });
  // Upstream: response.created goes out immediately, before any inference. Upstream also bounds its
  // arrival at 200 ms; that bound is the machine's speed, which no test here checks, so this checks
  // what "before any inference" leaves on the wire: the first event, in progress, with no output yet.
  const created = events[0];
  expect(created?.type, "response.created is the first event").toBe("response.created");
  if (created?.type !== "response.created") return;
  expect(created.response.status).toBe("in_progress");
  expect(created.response.output, "response.created carries no output: no inference has run").toEqual([]);
  const end = streamEnd(t, events);
  expect(end.id, "the response id is consistent").toBe(created.response.id);
  const text = outputText(end).toLowerCase().trim();
  expect(text.length, "the response has content").toBeGreaterThan(0);
  if (t.can("answer_quality", QUALITY(expected))) expect(text).toContain(expected.toLowerCase());
  expectUsage(end.usage);

  const validator = new StreamingValidator(events);
  validator.basicEventSequence();
  validator.responseConsistency();

  const retrieved = await client.retrieve(created.response.id);
  expect(outputText(retrieved), "the stored response matches the streamed one").toBe(outputText(end));
});

upstreamTest(
  { file: FILE, name: "test_response_streaming_incremental_content", clients: COMPAT, models: TEXT, cases: BASIC_CASES },
  async (t) => {
    await requireRoutes(t, CREATE);
    const client = responsesClient(t);
    const { input, expected } = t.param;
    const events = await client.stream({ model: textModel(t), input });
    const validator = new StreamingValidator(events);
    validator.basicEventSequence();

    const createdIndex = validator.types.indexOf("response.created");
    const end = streamEnd(t, events);
    const endIndex = events.length - 1;
    const created = events[createdIndex];
    const createdText = created && "response" in created ? outputText(created.response) : "";
    expect(createdText, "response.created has empty content").toBe("");

    const finalText = outputText(end);
    expect(finalText.length, "the final response has content").toBeGreaterThan(0);
    if (t.can("answer_quality", QUALITY(expected))) expect(finalText.toLowerCase()).toContain(expected.toLowerCase());

    const deltas = validator.incrementalContent();
    expect(deltas.trim(), "the deltas add up to the final content").toBe(finalText.trim());
    validator.types.forEach((type, i) => {
      if (type === "response.output_text.delta") expect(createdIndex < i && i < endIndex, `delta ${i} lies between created and the end`).toBe(true);
    });
  },
);

/** Upstream's turn loop: each turn chains on the previous response; the expected text needs a capability. */
async function runTurns(t: UpstreamTestContext<{ turns: Turn[] }>, what: "answer_quality" | "vision"): Promise<void> {
  const client = responsesClient(t);
  let previous: string | undefined;
  for (const [input, expected] of t.param.turns) {
    const response = await client.create({ model: textModel(t), input, ...(previous ? { previous_response_id: previous } : {}) });
    previous = response.id;
    // Each capability is its own gate, named literally, so the assertion-site accounting counts it.
    const can = what === "vision" ? t.can("vision", QUALITY(expected)) : t.can("answer_quality", QUALITY(expected));
    if (can) expect(outputText(response).toLowerCase()).toContain(expected.toLowerCase());
  }
}

upstreamTest(
  { file: FILE, name: "test_response_non_streaming_multi_turn", clients: COMPAT, models: TEXT, cases: MULTI_TURN_CASES },
  async (t) => {
    await requireRoutes(t, CREATE);
    await runTurns(t, "answer_quality");
  },
);

upstreamTest({ file: FILE, name: "test_response_non_streaming_image", clients: COMPAT, models: TEXT, cases: IMAGE_CASES }, async (t) => {
  await requireRoutes(t, CREATE);
  const { input, expected } = t.param;
  const response = await responsesClient(t).create({ model: textModel(t), input, stream: false });
  if (t.can("vision", QUALITY(expected))) expect(outputText(response).toLowerCase()).toContain(expected.toLowerCase());
});

upstreamTest(
  { file: FILE, name: "test_response_non_streaming_multi_turn_image", clients: COMPAT, models: TEXT, cases: MULTI_TURN_IMAGE_CASES },
  async (t) => {
    await requireRoutes(t, CREATE);
    await runTurns(t, "vision");
  },
);
