/**
 * One surface over the two clients upstream parametrizes as `compat_client`. Both SDKs return the
 * server's JSON untouched, so the shapes below name only the fields the tests read; the casts live
 * here, once, instead of in every test.
 */
import type { UpstreamTestContext } from "@llama-stack-tests/stack";
import type LlamaStackClient from "llama-stack-client";
import type OpenAI from "openai";

export interface ToolCallLike {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

export interface ChatMessageLike {
  role: string;
  content?: string | null;
  tool_calls?: ToolCallLike[] | null;
}

export interface ChatCompletionLike {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: Array<{ index: number; finish_reason: string | null; message: ChatMessageLike }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

export interface ChatChunkLike {
  id: string;
  object: string;
  choices: Array<{
    index: number;
    finish_reason?: string | null;
    delta: { content?: string | null; tool_calls?: Array<ToolCallLike & { index: number }> | null };
  }>;
}

export interface StoredCompletionLike extends ChatCompletionLike {
  input_messages: Array<{ role: string; content?: unknown }>;
}

export interface CompletionListLike {
  data: Array<{ id: string }>;
}

export interface EmbeddingsResponseLike {
  object: string;
  model: string;
  data: Array<{ object: string; index: number; embedding: number[] | string }>;
  usage?: { prompt_tokens: number; total_tokens: number };
}

/** `stream` is sent only when the caller sets it, as upstream does: an absent flag is part of the recorded request. */
export type ChatBody = Omit<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, "stream"> & { stream?: false };
export type EmbeddingsBody = OpenAI.EmbeddingCreateParams & { extra_body?: Record<string, unknown> };

export interface CompatClient {
  createChat(body: ChatBody): Promise<ChatCompletionLike>;
  streamChat(body: ChatBody): Promise<AsyncIterable<ChatChunkLike>>;
  listChat(query: { limit: number }): Promise<CompletionListLike>;
  retrieveChat(id: string): Promise<StoredCompletionLike>;
  createEmbeddings(body: EmbeddingsBody): Promise<EmbeddingsResponseLike>;
}

type LsChatParams = Parameters<LlamaStackClient["chat"]["completions"]["create"]>[0];
type LsEmbeddingParams = Parameters<LlamaStackClient["embeddings"]["create"]>[0];

function fromOpenAI(client: OpenAI): CompatClient {
  return {
    async createChat(body) {
      return (await client.chat.completions.create(body)) as unknown as ChatCompletionLike;
    },
    async streamChat(body) {
      return (await client.chat.completions.create({ ...body, stream: true })) as unknown as AsyncIterable<ChatChunkLike>;
    },
    async listChat(query) {
      return (await client.chat.completions.list(query)) as unknown as CompletionListLike;
    },
    async retrieveChat(id) {
      return (await client.chat.completions.retrieve(id)) as unknown as StoredCompletionLike;
    },
    async createEmbeddings({ extra_body, ...body }) {
      // Extra keys go into the JSON body, as Python's `extra_body` does.
      const params = { ...body, ...extra_body } as OpenAI.EmbeddingCreateParams;
      return (await client.embeddings.create(params)) as unknown as EmbeddingsResponseLike;
    },
  };
}

function fromLlamaStack(client: LlamaStackClient): CompatClient {
  return {
    async createChat(body) {
      return (await client.chat.completions.create(body as unknown as LsChatParams)) as unknown as ChatCompletionLike;
    },
    async streamChat(body) {
      return (await client.chat.completions.create({ ...body, stream: true } as unknown as LsChatParams)) as unknown as AsyncIterable<ChatChunkLike>;
    },
    async listChat(query) {
      return (await client.chat.completions.list(query)) as unknown as CompletionListLike;
    },
    async retrieveChat(id) {
      return (await client.chat.completions.retrieve(id)) as unknown as StoredCompletionLike;
    },
    async createEmbeddings({ extra_body, ...body }) {
      const params = { ...body, ...extra_body } as unknown as LsEmbeddingParams;
      return (await client.embeddings.create(params)) as unknown as EmbeddingsResponseLike;
    },
  };
}

/** The case's compat client: the OpenAI SDK for "openai_client", llama-stack-client otherwise. */
export function compatClient(t: UpstreamTestContext<unknown>): CompatClient {
  return t.variant === "openai_client" ? fromOpenAI(t.openai) : fromLlamaStack(t.client);
}

/** Collects every chunk of a stream. */
export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

export interface ApiErrorLike {
  status: number | undefined;
  message: string;
}

/** Awaits `promise`, which must reject with an SDK API error (both SDKs expose `status`). */
export async function expectApiError(promise: Promise<unknown>): Promise<ApiErrorLike> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error && "status" in error) {
      const status = (error as { status?: unknown }).status;
      return { status: typeof status === "number" ? status : undefined, message: error.message };
    }
    throw error;
  }
  throw new Error("Expected the request to fail with an API error, but it succeeded.");
}
