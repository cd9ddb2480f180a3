import type { FastifyReply } from "fastify";
import type { Token } from "node-llama-cpp";
import type { ModelEngine, TokenLogprob } from "./engine.js";
import { badRequest } from "./errors.js";
import { guidedChoiceGrammar } from "./guided-choice.js";
import { nowSeconds, responseId } from "./ids.js";
import { requireModel, type ServedModels } from "./models.js";
import { choiceSeed, readSampling } from "./sampling.js";
import { chunkBuilder, streamError, streamIncludesUsage, usageOf } from "./completion-shapes.js";
import { disconnectSignal, SseWriter } from "./sse.js";
import { checkedTokens, isTokenIdList } from "./token-ids.js";
import { optionalBoolean, optionalNumber, type Json } from "./validate.js";

interface PromptInput {
  text: string;
  tokens: Token[];
}

/** `prompt`: a string, a list of strings, a token list or a list of token lists. */
function readPrompts(engine: ModelEngine, value: unknown): PromptInput[] {
  const withBos = (tokens: Token[]): Token[] => {
    const bos = engine.model.tokens.bos;
    return engine.model.tokens.shouldPrependBosToken && bos !== null ? [bos, ...tokens] : tokens;
  };
  const fromText = (text: string): PromptInput => {
    engine.assertTextCanFit(Buffer.byteLength(text), "prompt");
    return { text, tokens: withBos(engine.tokenize(text)) };
  };
  const fromTokens = (ids: number[]): PromptInput => {
    const tokens = checkedTokens(engine, ids, "prompt");
    return { text: engine.model.detokenize(tokens), tokens: withBos(tokens) };
  };
  if (typeof value === "string") return [fromText(value)];
  if (isTokenIdList(value)) return [fromTokens(value)];
  if (Array.isArray(value) && value.length > 0) {
    return value.map((p, i) => {
      if (typeof p === "string") return fromText(p);
      if (isTokenIdList(p)) return fromTokens(p);
      throw badRequest(`prompt[${i}]`, `'prompt[${i}]' must be a string or a list of token ids.`);
    });
  }
  throw badRequest("prompt", "'prompt' is required: a string, a list of strings or a list of token ids.");
}

function completionLogprobs(logprobs: TokenLogprob[] | null, startOffset: number): Json | null {
  if (!logprobs) return null;
  const textOffset: number[] = [];
  let offset = startOffset;
  for (const l of logprobs) {
    textOffset.push(offset);
    offset += l.token.length;
  }
  return {
    tokens: logprobs.map((l) => l.token),
    token_logprobs: logprobs.map((l) => l.logprob),
    top_logprobs: logprobs.map((l) => Object.fromEntries(l.top.map((t) => [t.token, t.logprob]))),
    text_offset: textOffset,
  };
}

/** POST /v1/completions (`suffix` and `best_of` are accepted and ignored). */
export async function completions(engine: ModelEngine, ids: ServedModels, body: Json, reply: FastifyReply): Promise<unknown> {
  const model = requireModel(body, ids, "completion");
  const prompts = readPrompts(engine, body.prompt);
  for (const p of prompts) engine.assertPromptFits(p.tokens, "prompt");
  const sampling = readSampling(body, ["max_tokens"], false);
  const grammar = await guidedChoiceGrammar(engine, body);
  const logprobsCount = optionalNumber(body, "logprobs", { min: 0, max: 5, integer: true });
  const echo = optionalBoolean(body, "echo") ?? false;
  const stream = optionalBoolean(body, "stream") ?? false;
  const includeUsage = streamIncludesUsage(body, stream);
  const id = responseId("cmpl");
  const created = nowSeconds();
  const signal = disconnectSignal(reply.raw);
  let promptTokens = 0;
  let completionTokens = 0;
  const optionsFor = (i: number) => ({
    ...sampling,
    seed: choiceSeed(sampling.seed, i),
    topLogprobs: logprobsCount ?? null,
    ...(grammar ? { grammar } : {}),
  });

  if (!stream) {
    const choices: Json[] = [];
    for (const [p, prompt] of prompts.entries()) {
      promptTokens += prompt.tokens.length;
      for (let i = 0; i < sampling.n; i++) {
        const result = await engine.generate(prompt.tokens, optionsFor(i), { signal });
        completionTokens += result.completionTokens;
        const prefix = echo ? prompt.text : "";
        choices.push({
          index: p * sampling.n + i,
          text: prefix + result.text,
          logprobs: completionLogprobs(result.logprobs, prefix.length),
          finish_reason: result.finishReason,
        });
      }
    }
    return {
      id, object: "text_completion", created, model, system_fingerprint: null, choices,
      usage: usageOf(promptTokens, completionTokens),
    };
  }

  reply.hijack();
  const sse = new SseWriter(reply.raw);
  const chunk = chunkBuilder({ id, object: "text_completion", created, model, system_fingerprint: null }, includeUsage);
  try {
    for (const [p, prompt] of prompts.entries()) {
      promptTokens += prompt.tokens.length;
      for (let i = 0; i < sampling.n; i++) {
        const index = p * sampling.n + i;
        if (echo) sse.send(chunk([{ index, text: prompt.text, logprobs: null, finish_reason: null }]));
        let offset = echo ? prompt.text.length : 0;
        const result = await engine.generate(prompt.tokens, optionsFor(i), {
          signal,
          onText: (text, logprobs) => {
            sse.send(chunk([{ index, text, logprobs: completionLogprobs(logprobs, offset), finish_reason: null }]));
            offset += text.length;
          },
        });
        completionTokens += result.completionTokens;
        sse.send(chunk([{ index, text: "", logprobs: null, finish_reason: result.finishReason }]));
      }
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
