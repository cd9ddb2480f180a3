import type { LlamaEmbeddingContext, LlamaModel, Token } from "node-llama-cpp";
import { acquireLlama, type LlamaLease } from "./shared-llama.js";
import { EMBEDDING_MODEL } from "./embedding-model.js";
import { SerialQueue } from "./serial-queue.js";

/**
 * Text cut before tokenizing: more than the tokens kept can cover (a WordPiece token spans at most a
 * 100-character word), so an arbitrarily long input costs no more than this.
 */
const MAX_INPUT_CHARS = 200_000;

/** What the embeddings route needs of a model. */
export interface Embedder {
  readonly embeddingSize: number;
  readonly vocabularySize: number;
  detokenize(ids: readonly number[]): string;
  embed(texts: readonly string[]): Promise<{ vectors: number[][]; promptTokens: number }>;
}

/**
 * The converted all-MiniLM-L6-v2 (a GGUF 'bert' model with mean pooling), embedding as
 * sentence-transformers does: inputs truncated to 256 tokens with [CLS] and [SEP] (llama.cpp adds
 * them), mean over the tokens; the route L2-normalizes.
 */
export class SentenceEmbedder implements Embedder {
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly lease: LlamaLease,
    private readonly model: LlamaModel,
    private readonly context: LlamaEmbeddingContext,
  ) {}

  static async load(modelPath: string, threads: number): Promise<SentenceEmbedder> {
    const lease = await acquireLlama(threads);
    const { llama } = lease;
    try {
      const model = await llama.loadModel({ modelPath });
      // A window above the 256 tokens used: llama.cpp keeps some of it back.
      const context = await model.createEmbeddingContext({ contextSize: 2 * EMBEDDING_MODEL.maxSeqLength, threads });
      return new SentenceEmbedder(lease, model, context);
    } catch (err) {
      await lease.release();
      throw new Error(`Could not load the embedding model ${modelPath}: ${(err as Error).message}. Re-create it with 'bash scripts/embedding-model.sh'.`);
    }
  }

  get embeddingSize(): number {
    return this.model.embeddingVectorSize;
  }

  get vocabularySize(): number {
    return this.model.fileInfo.metadata.tokenizer.ggml.tokens.length;
  }

  detokenize(ids: readonly number[]): string {
    return this.model.detokenize(ids as Token[]);
  }

  embed(texts: readonly string[]): Promise<{ vectors: number[][]; promptTokens: number }> {
    return this.queue.run(async () => {
      const vectors: number[][] = [];
      let promptTokens = 0;
      for (const text of texts) {
        const tokens = this.model.tokenize(text.slice(0, MAX_INPUT_CHARS)).slice(0, EMBEDDING_MODEL.maxSeqLength - 2);
        promptTokens += tokens.length + 2;
        // node-llama-cpp adds [CLS] and [SEP] around the tokens, but embeds nothing for none: give it the [CLS].
        const input = tokens.length > 0 ? tokens : [this.model.tokens.bos!];
        vectors.push([...(await this.context.getEmbeddingFor(input)).vector]);
      }
      return { vectors, promptTokens };
    });
  }

  async dispose(): Promise<void> {
    await this.queue.run(async () => {
      await this.context.dispose();
      await this.model.dispose();
      await this.lease.release();
    });
  }
}
