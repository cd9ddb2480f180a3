/**
 * What the responses-suite ports share: upstream's `responses_client` (its `compat_client` variants),
 * the route gate, stream reading and upstream's StreamingValidator checks.
 */
import type { ClientVariant, UpstreamTestContext } from "@llama-stack-tests/stack";
import type LlamaStackClient from "llama-stack-client";
import type OpenAI from "openai";
import type {
  Response,
  ResponseOutputItem,
  ResponseOutputMessage,
  ResponseStreamEvent,
} from "openai/resources/responses/responses";
import { requireRoutes as requireServedRoutes, RESPONSES_ROUTES } from "@llama-stack-tests/test-fixtures";
import { expect } from "vitest";

export const { create: CREATE, retrieve: RETRIEVE } = RESPONSES_ROUTES;

/** Upstream's `compat_client` params, in order; `responses_client` takes them over. */
export const COMPAT: readonly ClientVariant[] = ["openai_client", "client_with_models"];
export const TEXT = ["text_model_id"] as const;

type Ctx = UpstreamTestContext<unknown>;

/** Skips the case, before any request, unless the stack lists every route it calls. */
export const requireRoutes = <P>(t: UpstreamTestContext<P>, ...routes: (readonly [string, string])[]): Promise<void> => requireServedRoutes(t, routes);

export function textModel(t: Ctx): string {
  const model = t.models.text;
  if (!model) throw new Error("text_model_id is unset although the spec requires it.");
  return model;
}

/**
 * A create body as upstream's dicts spell it: tool and input dicts go out exactly as written (no SDK
 * defaults such as `strict`), and keys upstream leaves out stay out.
 */
export interface CreateBody {
  model: string;
  input: string | readonly unknown[];
  [key: string]: unknown;
}

/** The calls upstream makes through `responses_client`; both SDKs hand back the server's JSON. */
export interface ResponsesClient {
  create(body: CreateBody): Promise<Response>;
  /** Every event of a streamed create, in order. */
  stream(body: CreateBody): Promise<ResponseStreamEvent[]>;
  retrieve(responseId: string): Promise<Response>;
  /** The client's raw SDK, for the vector store and file calls the file-search helpers make. */
  sdk: OpenAI | LlamaStackClient;
}

async function collect(stream: AsyncIterable<unknown>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const raw of stream) events.push(raw as ResponseStreamEvent);
  return events;
}

// The casts bridge upstream's loose dicts and the separately generated SDK types; the wire body is the dict.
type AnyCreate = (body: never) => Promise<unknown>;

function clientOf(sdk: OpenAI | LlamaStackClient): ResponsesClient {
  const create = sdk.responses.create.bind(sdk.responses) as unknown as AnyCreate;
  return {
    create: async (body) => (await create(body as never)) as Response,
    async stream(body) {
      return collect((await create({ ...body, stream: true } as never)) as AsyncIterable<unknown>);
    },
    retrieve: async (id) => (await sdk.responses.retrieve(id)) as unknown as Response,
    sdk,
  };
}

/** The case's `responses_client`: the OpenAI SDK for "openai_client", llama-stack-client otherwise. */
export function responsesClient(t: Ctx): ResponsesClient {
  return clientOf(t.variant === "openai_client" || t.variant === undefined ? t.openai : t.client);
}

/** The test's `openai_client` (functions that take it rather than `responses_client`). */
export function openaiClient(t: Ctx): ResponsesClient {
  return clientOf(t.openai);
}

/**
 * The Python SDKs' `output_text`: the text parts of every output message, joined. Computed here because
 * neither JS SDK adds it to streamed or llama-stack-client responses.
 */
export function outputText(response: Pick<Response, "output">): string {
  return response.output
    .flatMap((item) => (item.type === "message" ? item.content : []))
    .map((part) => (part.type === "output_text" ? part.text : ""))
    .join("");
}

export function itemsOfType<T extends ResponseOutputItem["type"]>(
  response: Pick<Response, "output">,
  type: T,
): Extract<ResponseOutputItem, { type: T }>[] {
  return response.output.filter((item): item is Extract<ResponseOutputItem, { type: T }> => item.type === type);
}

/** Output item `index` narrowed to `type`, failing with what it was otherwise. */
export function outputAt<T extends ResponseOutputItem["type"]>(
  response: Pick<Response, "output">,
  index: number,
  type: T,
): Extract<ResponseOutputItem, { type: T }> {
  const item = response.output.at(index);
  if (item?.type !== type) throw new Error(`expected output[${index}] to be ${type}, got ${JSON.stringify(item)}`);
  return item as Extract<ResponseOutputItem, { type: T }>;
}

/** Text of a message's first content part (upstream's `message.content[0].text`). */
export function firstText(message: ResponseOutputMessage): string {
  const part = message.content[0];
  if (part?.type !== "output_text") throw new Error(`expected output_text content, got ${JSON.stringify(part)}`);
  return part.text;
}

const TERMINAL = ["response.completed", "response.incomplete", "response.failed"];

/**
 * The response a stream ends with. Upstream expects response.completed; a model that runs into the
 * token limit (the embedded setup's random model always does) ends with response.incomplete, as
 * upstream's server does too, so "completed" is asked of the setup's answer quality.
 */
export function streamEnd(t: Pick<Ctx, "can">, events: ResponseStreamEvent[]): Response {
  const last = events.at(-1);
  if (last?.type !== "response.completed" && last?.type !== "response.incomplete") {
    throw new Error(`expected the stream to end with response.completed, got ${last ? JSON.stringify(last) : "no events"}`);
  }
  if (t.can("answer_quality", "the model ends its answer before the token limit, so the stream ends with response.completed")) {
    expect(last.type, "the final event is response.completed").toBe("response.completed");
  }
  return last.response;
}

/** Upstream's StreamingValidator over the events of one stream. */
export class StreamingValidator {
  readonly types: string[];
  constructor(readonly events: ResponseStreamEvent[]) {
    this.types = events.map((e) => e.type);
  }

  basicEventSequence(): void {
    expect(this.events.length, "at least response.created and a terminal event").toBeGreaterThanOrEqual(2);
    expect(this.types[0], "the first event").toBe("response.created");
    const terminal = this.types.findIndex((type) => TERMINAL.includes(type));
    expect(terminal, `a terminal response event in ${this.types.join(", ")}`).toBeGreaterThan(0);
  }

  responseConsistency(): void {
    const ids = new Set<string>();
    for (const event of this.events) {
      if ("response_id" in event && typeof event.response_id === "string") ids.add(event.response_id);
      else if ("response" in event && event.response?.id) ids.add(event.response.id);
    }
    expect([...ids], "every event references the same response").toHaveLength(1);
  }

  /** The concatenated text deltas, after checking there are non-empty ones. */
  incrementalContent(): string {
    const deltas = this.events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : []));
    expect(deltas.length, "response.output_text.delta events").toBeGreaterThan(0);
    const total = deltas.join("");
    expect(deltas.some(Boolean) && total.length > 0, "delta events carry content").toBe(true);
    return total;
  }

  hasToolCalls(): void {
    const of = (...types: string[]) => this.events.filter((e) => types.includes(e.type)).length;
    const seen = `got ${this.types.join(", ")}`;
    expect(of("response.function_call_arguments.delta", "response.mcp_call_arguments.delta", "response.mcp_call.arguments.delta"), `tool call delta events; ${seen}`).toBeGreaterThan(0);
    expect(of("response.function_call_arguments.done", "response.mcp_call_arguments.done", "response.mcp_call.arguments.done"), `tool call done events; ${seen}`).toBeGreaterThan(0);
    expect(of("response.output_item.added"), `output_item.added events; ${seen}`).toBeGreaterThan(0);
    expect(of("response.output_item.done"), `output_item.done events; ${seen}`).toBeGreaterThan(0);
  }

  /** MCP call progress; `calls` false checks only the tool listing (a model that never calls a tool). */
  hasMcpEvents(calls: boolean): void {
    const seen = `got ${this.types.join(", ")}`;
    const expected = ["response.mcp_list_tools.in_progress", "response.mcp_list_tools.completed"];
    if (calls) expected.push("response.mcp_call.in_progress", "response.mcp_call.completed");
    for (const type of expected) expect(this.types, `${type} events; ${seen}`).toContain(type);
  }

  richStreaming(minEvents = 10): void {
    expect(this.events.length, "rich streaming with many events").toBeGreaterThan(minEvents);
  }
}

/** Upstream's typed failure for a request it expects to be refused: the status and message as the SDK saw them. */
export async function rejection(promise: Promise<unknown>): Promise<{ status: number | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    return { status: typeof status === "number" ? status : undefined, message: String((error as Error).message ?? error) };
  }
  throw new Error("expected the request to be refused, but it succeeded");
}
