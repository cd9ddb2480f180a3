import {
  LlamaGrammarEvaluationState,
  isLlamaText,
  resolveChatWrapper,
  SpecialTokensText,
  type ChatHistoryItem,
  type ChatModelFunctions,
  type ChatWrapper,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaEmbeddingContext,
  type LlamaGrammar,
  type LlamaModel,
  type LlamaText,
  type Token,
} from "node-llama-cpp";
import { acquireLlama, type LlamaLease } from "./shared-llama.js";
import { ApiError } from "./errors.js";
import type { Embedder } from "./sentence-embedder.js";
import { SerialQueue } from "./serial-queue.js";
import { StopDetector } from "./stop-detector.js";
import { TINY_MODEL_NAME } from "./tiny-model.js";

export interface SamplingOptions {
  maxTokens: number;
  temperature: number;
  topP?: number;
  seed: number;
  stop: readonly string[];
  /** Number of alternatives per position; null = no logprobs. */
  topLogprobs: number | null;
  grammar?: LlamaGrammar;
}

export interface TopLogprob {
  token: string;
  logprob: number;
  bytes: number[];
}

export interface TokenLogprob extends TopLogprob {
  top: TopLogprob[];
}

export interface GenerationResult {
  text: string;
  finishReason: "stop" | "length";
  promptTokens: number;
  completionTokens: number;
  logprobs: TokenLogprob[] | null;
}

export interface GenerationHooks {
  /** Receives text as soon as it is final, with the logprobs of the tokens not reported yet. */
  onText?: (delta: string, logprobs: TokenLogprob[] | null) => void;
  /** Stops generating (e.g. the client went away). */
  signal?: AbortSignal;
}

export interface EngineOptions {
  modelPath: string;
  /** Context window; defaults to the model's training context, capped at 8192. */
  contextSize?: number;
  threads?: number;
}

const MAX_DEFAULT_CONTEXT = 8192;

/** Owns the llama.cpp model, one generation sequence and one embedding context. */
export class ModelEngine implements Embedder {
  private readonly queue = new SerialQueue();
  private embeddingContext: LlamaEmbeddingContext | null = null;

  private constructor(
    private readonly lease: LlamaLease,
    readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly sequence: LlamaContextSequence,
    readonly chatWrapper: ChatWrapper,
    private readonly threads: number,
    /** The most UTF-8 bytes one token of the vocabulary stands for. */
    private readonly maxTokenBytes: number,
  ) {}

  static async load(opts: EngineOptions): Promise<ModelEngine> {
    const threads = opts.threads ?? 1;
    const lease = await acquireLlama(threads);
    const { llama } = lease;
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: opts.modelPath });
    } catch (err) {
      await lease.release();
      throw new Error(`Could not load GGUF model ${opts.modelPath}: ${(err as Error).message}. Pass a valid GGUF file (--model) or omit it to use the generated tiny model.`);
    }
    const contextSize = opts.contextSize ?? Math.min(model.trainContextSize, MAX_DEFAULT_CONTEXT);
    let context: LlamaContext;
    try {
      context = await model.createContext({ contextSize, sequences: 1, threads });
    } catch (err) {
      await model.dispose();
      await lease.release();
      throw new Error(`Could not create a ${contextSize}-token context for ${opts.modelPath}: ${(err as Error).message}. Pass a smaller --context-size.`);
    }
    return new ModelEngine(lease, model, context, context.getSequence(), resolveChatWrapper(model), threads, longestTokenBytes(model));
  }

  get contextSize(): number {
    return this.context.contextSize;
  }

  /** True when serving the generated random model (see tiny-model.ts). */
  get isTinyModel(): boolean {
    return this.model.fileInfo.metadata.general?.name === TINY_MODEL_NAME;
  }

  get vocabularySize(): number {
    const tokens = (this.model.fileInfo.metadata as { tokenizer?: { ggml?: { tokens?: readonly string[] } } }).tokenizer?.ggml?.tokens;
    return tokens?.length ?? Number.MAX_SAFE_INTEGER;
  }

  get embeddingSize(): number {
    return this.model.embeddingVectorSize;
  }

  detokenize(ids: readonly number[]): string {
    return this.model.detokenize(ids as Token[]);
  }

  tokenize(text: string | LlamaText): Token[] {
    return typeof text === "string" ? this.model.tokenize(text) : text.tokenize(this.model.tokenizer);
  }

  /** Renders a chat with the model's own template; returns prompt tokens and template stop strings. */
  renderChat(history: ChatHistoryItem[], functions?: ChatModelFunctions): { tokens: Token[]; stops: string[] } {
    const state = this.chatWrapper.generateContextState({ chatHistory: history, availableFunctions: functions });
    return { tokens: this.tokenize(state.contextText), stops: triggersToStrings(state.stopGenerationTriggers) };
  }

  createJsonSchemaGrammar(schema: object): Promise<LlamaGrammar> {
    return this.lease.llama.createGrammarForJsonSchema(schema as never);
  }

  /** A grammar from GBNF text; generation ends at any of `stops` (cut from the output). */
  createGbnfGrammar(gbnf: string, stops: readonly string[]): Promise<LlamaGrammar> {
    return this.lease.llama.createGrammar({ grammar: gbnf, stopGenerationTriggers: stops });
  }

  jsonObjectGrammar(): Promise<LlamaGrammar> {
    return this.lease.llama.getGrammarFor("json");
  }

  /**
   * Throws the context-length 400 for text that cannot fit, without tokenizing it: no token stands for
   * more than maxTokenBytes bytes, so longer text has more tokens than the window. Tokenizing costs
   * time superlinear in the text's length on the event loop (a 20 MB prompt took minutes and left the
   * server deaf), so that cost stays bounded by what a window can hold.
   */
  assertTextCanFit(bytes: number, param: string): void {
    const limit = this.contextSize * this.maxTokenBytes;
    if (bytes <= limit) return;
    throw new ApiError(
      400,
      `The ${param === "input" ? "input" : "prompt"} has ${bytes} bytes, more than the ${this.contextSize}-token context window can hold (at most ${limit} bytes for this model); shorten ${param}.`,
      param,
      "context_length_exceeded",
    );
  }

  /** Throws a 400 naming `param` when the prompt leaves no room to generate. */
  assertPromptFits(prompt: readonly Token[], param: string | null): void {
    if (prompt.length < this.contextSize) return;
    const what = param ?? "the prompt";
    throw new ApiError(400, `The prompt has ${prompt.length} tokens but the context window is ${this.contextSize}; shorten ${what}.`, param, "context_length_exceeded");
  }

  /** Generates one completion; queued behind any generation already running. */
  generate(prompt: Token[], opts: SamplingOptions, hooks: GenerationHooks = {}): Promise<GenerationResult> {
    return this.queue.run(() => this.generateNow(prompt, opts, hooks));
  }

  private async generateNow(prompt: Token[], opts: SamplingOptions, hooks: GenerationHooks): Promise<GenerationResult> {
    this.assertPromptFits(prompt, null);
    const room = this.contextSize - prompt.length;
    const maxTokens = Math.min(opts.maxTokens, room);
    const grammarStops = opts.grammar ? triggersToStrings(opts.grammar.stopGenerationTriggers) : [];
    const detector = new StopDetector([...opts.stop, ...grammarStops]);
    const generated: Token[] = [];
    const logprobs: TokenLogprob[] | null = opts.topLogprobs === null ? null : [];
    let reported = 0;
    // Grammar output is only final once its trailing whitespace is trimmed, so it is emitted in one piece.
    const emit = (piece: string, final: boolean) => {
      if (!hooks.onText || (opts.grammar && !final)) return;
      const newLogprobs = logprobs ? logprobs.slice(reported) : null;
      reported = logprobs?.length ?? 0;
      if (piece || newLogprobs?.length) hooks.onText(piece, newLogprobs);
    };
    let finishReason: GenerationResult["finishReason"] = "stop";
    let text = "";

    await this.sequence.clearHistory();
    const outputs = this.sequence.evaluateWithMetadata(
      prompt,
      { probabilities: opts.topLogprobs !== null },
      {
        temperature: opts.temperature,
        topP: opts.topP,
        seed: opts.seed,
        grammarEvaluationState: opts.grammar ? new LlamaGrammarEvaluationState({ model: this.model, grammar: opts.grammar }) : undefined,
      },
    );
    for await (const out of outputs) {
      generated.push(out.token);
      if (logprobs && "probabilities" in out) {
        logprobs.push(this.tokenLogprob(out.token, out.probabilities as ReadonlyMap<Token, number>, opts.topLogprobs ?? 0));
      }
      const piece = detector.update(this.model.detokenize(generated));
      text += piece;
      emit(piece, false);
      if (detector.stopped || hooks.signal?.aborted) break;
      if (generated.length >= maxTokens) {
        finishReason = "length";
        break;
      }
    }
    const rest = detector.flush();
    text += rest;
    // Grammar output ends in whitespace used only as a stop marker.
    if (opts.grammar) text = text.trimEnd();
    emit(opts.grammar ? text : rest, true);
    return { text, finishReason, promptTokens: prompt.length, completionTokens: generated.length, logprobs };
  }

  private tokenLogprob(token: Token, probabilities: ReadonlyMap<Token, number>, top: number): TokenLogprob {
    const entry = (t: Token, p: number): TopLogprob => {
      const text = this.model.detokenize([t], true);
      return { token: text, logprob: p > 0 ? Math.log(p) : -9999, bytes: [...Buffer.from(text, "utf8")] };
    };
    const alternatives: TopLogprob[] = [];
    for (const [t, p] of probabilities) {
      if (alternatives.length >= top) break;
      alternatives.push(entry(t, p));
    }
    return { ...entry(token, probabilities.get(token) ?? 0), top: alternatives };
  }

  /** Embeds texts one by one (deterministic: no batching effects). */
  embed(texts: readonly string[]): Promise<{ vectors: number[][]; promptTokens: number }> {
    return this.queue.run(async () => {
      this.embeddingContext ??= await this.model.createEmbeddingContext({ contextSize: this.contextSize, threads: this.threads });
      const vectors: number[][] = [];
      let promptTokens = 0;
      for (const text of texts) {
        this.assertTextCanFit(Buffer.byteLength(text), "input");
        const tokens = this.model.tokenize(text);
        if (tokens.length >= this.contextSize) {
          throw new ApiError(400, `An input has ${tokens.length} tokens but the context window is ${this.contextSize}; shorten the input.`, "input", "context_length_exceeded");
        }
        promptTokens += tokens.length;
        const embedding = await this.embeddingContext.getEmbeddingFor(tokens.length > 0 ? tokens : [this.model.tokens.bos ?? (0 as Token)]);
        vectors.push([...embedding.vector]);
      }
      return { vectors, promptTokens };
    });
  }

  async dispose(): Promise<void> {
    await this.queue.run(async () => {
      await this.embeddingContext?.dispose();
      await this.context.dispose();
      await this.model.dispose();
      await this.lease.release();
    });
  }
}

/** Bytes of the longest text one token decodes to (special tokens decode to none). */
function longestTokenBytes(model: LlamaModel): number {
  let longest = 1;
  const vocabulary = (model.fileInfo.metadata as { tokenizer?: { ggml?: { tokens?: readonly string[] } } }).tokenizer?.ggml?.tokens?.length ?? 0;
  for (let t = 0; t < vocabulary; t++) longest = Math.max(longest, Buffer.byteLength(model.detokenize([t as Token])));
  return longest;
}

function triggersToStrings(triggers: readonly (LlamaText | string | readonly (string | Token)[])[]): string[] {
  const out: string[] = [];
  for (const trigger of triggers) {
    if (typeof trigger === "string") out.push(trigger);
    else if (isLlamaText(trigger)) {
      // Special tokens (EOS) end generation on their own; only textual triggers matter here.
      const values = trigger.values;
      const parts = values.map((v) => (typeof v === "string" ? v : v instanceof SpecialTokensText ? v.value : null));
      if (parts.every((p) => p !== null)) {
        const s = parts.join("");
        if (s) out.push(s);
      }
    }
  }
  return [...new Set(out)];
}
