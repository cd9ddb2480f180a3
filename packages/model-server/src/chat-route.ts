import type { FastifyReply } from "fastify";
import type { GenerationResult, ModelEngine, SamplingOptions, TokenLogprob } from "./engine.js";
import { historyTextBytes, toChatHistory } from "./chat-messages.js";
import { badRequest } from "./errors.js";
import { grammarFor } from "./grammar.js";
import { guardVerdictGrammar } from "./guard-grammar.js";
import { nowSeconds, responseId } from "./ids.js";
import { requireModel, type ServedModels } from "./models.js";
import { choiceSeed, readSampling } from "./sampling.js";
import { chunkBuilder, streamError, streamIncludesUsage, usageOf } from "./completion-shapes.js";
import { disconnectSignal, SseWriter } from "./sse.js";
import { functionsForPrompt, outputPlan, planSchema, readTools, toolCallsFrom, type OutputPlan, type ToolCall } from "./tools.js";
import { optionalBoolean, optionalNumber, type Json } from "./validate.js";

interface ChatChoice {
  index: number;
  content: string | null;
  toolCalls: ToolCall[] | null;
  finishReason: "stop" | "length" | "tool_calls";
  logprobs: TokenLogprob[] | null;
}

function chatLogprobs(logprobs: TokenLogprob[] | null): { content: unknown[] } | null {
  if (!logprobs) return null;
  return {
    content: logprobs.map((l) => ({
      token: l.token,
      logprob: l.logprob,
      bytes: l.bytes,
      top_logprobs: l.top.map((t) => ({ token: t.token, logprob: t.logprob, bytes: t.bytes })),
    })),
  };
}

function toChoice(index: number, plan: OutputPlan, result: GenerationResult): ChatChoice {
  const base = { index, logprobs: result.logprobs };
  if ((plan.kind === "tool" || plan.kind === "any-tool") && result.finishReason === "stop") {
    try {
      return { ...base, content: null, toolCalls: toolCallsFrom(plan, result.text), finishReason: "tool_calls" };
    } catch {
      // Unparseable only when truncated; fall through and return the raw text.
    }
  }
  return { ...base, content: result.text, toolCalls: null, finishReason: result.finishReason };
}

/** POST /v1/chat/completions */
export async function chatCompletions(engine: ModelEngine, ids: ServedModels, body: Json, reply: FastifyReply): Promise<unknown> {
  const model = requireModel(body, ids, "chat");
  const guard = model === ids.guard;
  const history = toChatHistory(body.messages);
  engine.assertTextCanFit(historyTextBytes(history), "messages");
  const tools = readTools(body);
  const plan = outputPlan(body, tools);
  if (guard && plan.kind !== "text") {
    const param = plan.kind === "json" ? "response_format" : "tools";
    throw badRequest(param, `'${model}' only answers Llama Guard verdicts; remove '${param}' or use '${ids.chat}'.`);
  }
  const schema = planSchema(plan);
  const constrained = guard || plan.kind !== "text";
  const sampling = readSampling(body, ["max_completion_tokens", "max_tokens"], constrained);
  const wantLogprobs = optionalBoolean(body, "logprobs") ?? false;
  const topLogprobs = optionalNumber(body, "top_logprobs", { min: 0, max: 20, integer: true });
  if (topLogprobs !== undefined && !wantLogprobs) throw badRequest("top_logprobs", "'top_logprobs' requires 'logprobs': true.");
  const stream = optionalBoolean(body, "stream") ?? false;
  const includeUsage = streamIncludesUsage(body, stream);

  const grammarParam = plan.kind === "json" ? "response_format.json_schema.schema" : "tools";
  const grammar = guard
    ? await guardVerdictGrammar(engine, JSON.stringify(body.messages))
    : constrained
      ? await grammarFor(engine, schema, grammarParam)
      : undefined;
  const prompt = engine.renderChat(history, functionsForPrompt(tools, body));
  engine.assertPromptFits(prompt.tokens, "messages");
  const options = (i: number): SamplingOptions => ({
    ...sampling,
    seed: choiceSeed(sampling.seed, i),
    // Under a grammar the output ends by itself; template stop strings could cut JSON strings short.
    stop: grammar ? sampling.stop : [...sampling.stop, ...prompt.stops],
    topLogprobs: wantLogprobs ? (topLogprobs ?? 0) : null,
    grammar,
  });

  const id = responseId("chatcmpl");
  const created = nowSeconds();
  const signal = disconnectSignal(reply.raw);
  let promptTokens = 0;
  let completionTokens = 0;

  if (!stream) {
    const choices: ChatChoice[] = [];
    for (let i = 0; i < sampling.n; i++) {
      const result = await engine.generate(prompt.tokens, options(i), { signal });
      promptTokens = result.promptTokens;
      completionTokens += result.completionTokens;
      choices.push(toChoice(i, plan, result));
    }
    return {
      id,
      object: "chat.completion",
      created,
      model,
      system_fingerprint: null,
      choices: choices.map((c) => ({
        index: c.index,
        message: { role: "assistant", content: c.content, refusal: null, ...(c.toolCalls ? { tool_calls: c.toolCalls } : {}) },
        logprobs: chatLogprobs(c.logprobs),
        finish_reason: c.finishReason,
      })),
      usage: usageOf(promptTokens, completionTokens),
    };
  }

  reply.hijack();
  const sse = new SseWriter(reply.raw);
  const chunk = chunkBuilder({ id, object: "chat.completion.chunk", created, model, system_fingerprint: null }, includeUsage);
  try {
    for (let i = 0; i < sampling.n; i++) {
      sse.send(chunk([{ index: i, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]));
      const streamText = plan.kind === "text" || plan.kind === "json";
      const result = await engine.generate(prompt.tokens, options(i), {
        signal,
        onText: (delta, logprobs) => {
          if (streamText) sse.send(chunk([{ index: i, delta: { content: delta }, logprobs: chatLogprobs(logprobs), finish_reason: null }]));
        },
      });
      promptTokens = result.promptTokens;
      completionTokens += result.completionTokens;
      const choice = toChoice(i, plan, result);
      if (choice.toolCalls) {
        const toolCalls = choice.toolCalls.map((c, index) => ({ index, ...c }));
        sse.send(chunk([{ index: i, delta: { tool_calls: toolCalls }, logprobs: null, finish_reason: null }]));
      } else if (!streamText && choice.content) {
        sse.send(chunk([{ index: i, delta: { content: choice.content }, logprobs: null, finish_reason: null }]));
      }
      sse.send(chunk([{ index: i, delta: {}, logprobs: streamText ? null : chatLogprobs(choice.logprobs), finish_reason: choice.finishReason }]));
    }
    if (includeUsage) {
      sse.send(chunk([], { usage: usageOf(promptTokens, completionTokens) }));
    }
  } catch (err) {
    sse.send(streamError(err));
  }
  sse.done();
  return reply;
}
