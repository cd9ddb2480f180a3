/**
 * What the Responses ports share: the route gate, upstream's function tools as it sends them, stream
 * reading, narrowing of output items, and the two clients upstream parametrizes as `compat_client`.
 */
import type { UpstreamTestContext } from "@llama-stack-tests/stack";
import type LlamaStackClient from "llama-stack-client";
import type OpenAI from "openai";
import type {
  FunctionTool,
  Response,
  ResponseCreateParamsNonStreaming,
  ResponseItem,
  ResponseOutputMessage,
  ResponseStreamEvent,
} from "openai/resources/responses/responses";
import { requireRoutes as requireServedRoutes, RESPONSES_ROUTES } from "@llama-stack-tests/test-fixtures";
import { expect } from "vitest";

/** The Responses routes a test calls, as /v1/inspect/routes names them. */
export const { create: CREATE, retrieve: RETRIEVE, delete: DELETE, inputItems: INPUT_ITEMS } = RESPONSES_ROUTES;

/** Skips the case, before any request, unless the stack lists every route it calls. */
export const requireRoutes = <P>(t: UpstreamTestContext<P>, ...routes: (readonly [string, string])[]): Promise<void> => requireServedRoutes(t, routes);

/**
 * A function tool as upstream's dicts spell it: no `strict` key (the SDK type demands one, but an
 * added key would change the request the stack receives).
 */
export function functionTool(tool: { name: string; description: string; parameters: Record<string, unknown> }): FunctionTool {
  return { type: "function", ...tool } as FunctionTool;
}

export const GET_WEATHER = functionTool({
  name: "get_weather",
  description: "Get the weather in a given city",
  parameters: {
    type: "object",
    properties: { city: { type: "string", description: "The city to get the weather for" } },
  },
});

/** Upstream passes guardrails through `extra_body`; the SDK types have no such key. */
export type WithGuardrails<T> = T & { guardrails: string[] };

/** Every event of a Responses stream, in order. */
export async function collectEvents(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/**
 * The response a stream ends with. Upstream expects response.completed; a model that runs into the
 * token limit (the embedded setup's random model always does) ends it with response.incomplete, as
 * upstream's server does too, so "completed" is asked of the setup's answer quality.
 */
export function streamEnd(t: Pick<UpstreamTestContext<unknown>, "can">, events: ResponseStreamEvent[]): Response {
  const last = events.at(-1);
  if (last?.type !== "response.completed" && last?.type !== "response.incomplete") {
    throw new Error(`expected the stream to end with response.completed, got ${last ? JSON.stringify(last) : "no events"}`);
  }
  if (t.can("answer_quality", "the model ends its answer before the token limit, so the stream ends with response.completed")) {
    expect(last.type, "the final event is response.completed").toBe("response.completed");
  }
  return last.response;
}

/** The response carried by a stream event, when the event carries one (created, in_progress, completed, ...). */
export function eventResponse(event: ResponseStreamEvent): Response | undefined {
  return "response" in event ? event.response : undefined;
}

/** The response's first output item as a message, failing with what it was otherwise. */
export function firstMessage(response: Response): ResponseOutputMessage {
  const item = response.output[0];
  if (item?.type !== "message") throw new Error(`expected output[0] to be a message, got ${JSON.stringify(item)}`);
  return item;
}

/** The input item list as sent on the wire: the OpenAI SDK's page object hides `object`. */
export interface InputItemList {
  object: string;
  data: ResponseItem[];
}

/** Upstream's `compat_client` for the calls `test_list_response_input_items` makes. */
export interface ResponsesCompat {
  create(body: ResponseCreateParamsNonStreaming): Promise<Response>;
  listInputItems(responseId: string): Promise<InputItemList>;
}

function fromOpenAI(client: OpenAI): ResponsesCompat {
  return {
    create: (body) => client.responses.create(body),
    async listInputItems(responseId) {
      const raw = await client.responses.inputItems.list(responseId).asResponse();
      return (await raw.json()) as InputItemList;
    },
  };
}

type LsCreateParams = Parameters<LlamaStackClient["responses"]["create"]>[0];

function fromLlamaStack(client: LlamaStackClient): ResponsesCompat {
  // Both SDKs hand back the server's JSON; the casts only bridge their separately generated types.
  return {
    async create(body) {
      return (await client.responses.create(body as unknown as LsCreateParams)) as unknown as Response;
    },
    async listInputItems(responseId) {
      return (await client.responses.inputItems.list(responseId)) as unknown as InputItemList;
    },
  };
}

/** The case's compat client: the OpenAI SDK for "openai_client", llama-stack-client otherwise. */
export function responsesCompat(t: UpstreamTestContext<unknown>): ResponsesCompat {
  return t.variant === "openai_client" ? fromOpenAI(t.openai) : fromLlamaStack(t.client);
}

/** The run's text model; upstreamTest has already skipped cases of setups without one. */
export function textModel(t: UpstreamTestContext<unknown>): string {
  const model = t.models.text;
  if (!model) throw new Error("text_model_id is unset although the spec requires it.");
  return model;
}
