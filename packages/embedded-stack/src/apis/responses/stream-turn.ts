/**
 * One streamed chat completion turned into Responses events (upstream's _process_streaming_chunks):
 * the assistant message item and its text part open on the first text, tool-call arguments stream
 * as deltas, and with guardrails each chunk's deltas are held back until the accumulated text passes.
 */
import type { JsonObject } from "../../server/types.js";
import { textPart, type EventEmitter } from "./events.js";
import type { GuardrailCheck } from "./guardrails.js";
import type { ChatToolCall, McpTool, ResponseUsage, StreamEvent } from "./types.js";

export interface TurnResult {
  content: string;
  toolCalls: ChatToolCall[];
  finishReason: string;
  messageItemId: string;
  /** Tool call id -> the output item id its events used. */
  itemIdByCallId: Map<string, string>;
}

export interface TurnDeps {
  events: EventEmitter;
  /** Current number of output items: the index the next item gets. */
  outputCount: () => number;
  mcpTools: Map<string, McpTool>;
  guard: GuardrailCheck | null;
  mintId: (prefix: string) => string;
  addUsage: (usage: JsonObject) => void;
  /** The completed response that replaces everything once a guardrail flags the output. */
  refusal: (message: string) => StreamEvent;
}

/** Tools answered by the stack itself get their own output items later, not a function_call item now. */
const BUILTIN_TOOL_NAMES = new Set(["web_search", "knowledge_search"]);

const CONTENT_INDEX = 0;
const REASONING_INDEX = 1;
const REFUSAL_INDEX = 2;

/** Yields the events of one turn; returns its result, or null when a guardrail replaced the response. */
export async function* streamTurn(chunks: AsyncIterable<JsonObject>, deps: TurnDeps): AsyncGenerator<StreamEvent, TurnResult | null> {
  const { events } = deps;
  const content: string[] = [];
  const reasoning: string[] = [];
  const refusal: string[] = [];
  const calls = new Map<number, ChatToolCall>();
  const callItemIds = new Map<number, string>();
  const messageItemId = deps.mintId("msg_");
  const messageIndex = deps.outputCount();
  let finishReason = "";
  let messageAdded = false;
  let textPartAdded = false;

  for await (const chunk of chunks) {
    if (chunk.usage) deps.addUsage(chunk.usage as JsonObject);
    const held: StreamEvent[] = [];
    const emit = function* (event: StreamEvent, holdForGuard: boolean) {
      if (holdForGuard && deps.guard) held.push(event);
      else yield event;
    };
    for (const choice of (chunk.choices as JsonObject[] | undefined) ?? []) {
      const delta = (choice.delta as JsonObject | undefined) ?? {};
      const text = typeof delta.content === "string" ? delta.content : "";
      if (text) {
        if (!messageAdded) {
          messageAdded = true;
          yield events.outputItem("added", { content: [], role: "assistant", type: "message", id: messageItemId, status: "in_progress" }, messageIndex);
        }
        if (!textPartAdded) {
          textPartAdded = true;
          yield events.contentPart("added", CONTENT_INDEX, messageItemId, messageIndex, textPart(""));
        }
        yield* emit(events.contentDelta("output_text", CONTENT_INDEX, text, messageItemId, messageIndex), true);
      }
      content.push(text);
      if (typeof choice.finish_reason === "string" && choice.finish_reason) finishReason = choice.finish_reason;

      if (typeof delta.reasoning_content === "string" && delta.reasoning_content) {
        if (reasoning.length === 0) {
          yield* emit(events.contentPart("added", REASONING_INDEX, messageItemId, messageIndex, { type: "reasoning_text", text: "" }), true);
        }
        yield* emit(events.contentDelta("reasoning_text", REASONING_INDEX, delta.reasoning_content, messageItemId, messageIndex), true);
        reasoning.push(delta.reasoning_content);
      }
      if (typeof delta.refusal === "string" && delta.refusal) {
        if (refusal.length === 0) {
          yield events.contentPart("added", REFUSAL_INDEX, messageItemId, messageIndex, { type: "refusal", refusal: "" });
        }
        yield events.contentDelta("refusal", REFUSAL_INDEX, delta.refusal, messageItemId, messageIndex);
        refusal.push(delta.refusal);
      }

      for (const raw of (delta.tool_calls as JsonObject[] | undefined) ?? []) {
        const index = Number(raw.index ?? 0);
        const fn = (raw.function as JsonObject | undefined) ?? {};
        const name = typeof fn.name === "string" ? fn.name : "";
        const args = typeof fn.arguments === "string" ? fn.arguments : "";
        const isMcp = Boolean(name) && deps.mcpTools.has(name);
        const existing = calls.get(index);
        if (!existing) {
          const id = typeof raw.id === "string" ? raw.id : "";
          calls.set(index, { index, id, type: "function", function: { name, arguments: args } });
          const itemId = deps.mintId("fc_");
          callItemIds.set(index, itemId);
          if (!isMcp && !BUILTIN_TOOL_NAMES.has(name)) {
            yield events.outputItem(
              "added",
              { call_id: id, name, arguments: "", type: "function_call", id: itemId, status: "in_progress" },
              deps.outputCount(),
            );
          } else {
            // Upstream counts a sequence number here even for MCP and built-in tools, whose items come later.
            events.bump();
          }
        }
        if (args) {
          yield events.arguments(isMcp ? "mcp" : "function", "delta", args, callItemIds.get(index) as string, deps.outputCount());
          if (existing) existing.function.arguments += args;
        }
      }
    }

    if (deps.guard) {
      const violation = await deps.guard(content.join(""));
      if (violation) {
        yield deps.refusal(violation);
        return null;
      }
      yield* held;
    }
  }

  const sortedIndexes = [...calls.keys()].sort((a, b) => a - b);
  for (const index of sortedIndexes) {
    const call = calls.get(index) as ChatToolCall;
    call.function.arguments ||= "{}";
    const isMcp = Boolean(call.function.name) && deps.mcpTools.has(call.function.name);
    yield events.arguments(isMcp ? "mcp" : "function", "done", call.function.arguments, callItemIds.get(index) as string, deps.outputCount());
  }
  const fullText = content.join("");
  if (textPartAdded) yield events.contentPart("done", CONTENT_INDEX, messageItemId, messageIndex, textPart(fullText));
  if (reasoning.length) {
    const done = reasoning.join("");
    yield events.contentDone("reasoning_text", REASONING_INDEX, done, messageItemId, messageIndex);
    yield events.contentPart("done", REASONING_INDEX, messageItemId, messageIndex, { type: "reasoning_text", text: done });
  }
  if (refusal.length) {
    const done = refusal.join("");
    yield events.contentDone("refusal", REFUSAL_INDEX, done, messageItemId, messageIndex);
    yield events.contentPart("done", REFUSAL_INDEX, messageItemId, messageIndex, { type: "refusal", refusal: done });
  }
  // With tool calls the text is dropped, as OpenAI does.
  const finalText = calls.size > 0 ? "" : fullText;
  if (messageAdded && calls.size === 0) {
    const parts = textPartAdded ? [{ text: finalText, type: "output_text" as const, annotations: [] }] : [];
    yield events.outputItem("done", { content: parts, role: "assistant", type: "message", id: messageItemId, status: "completed" }, messageIndex);
  }
  const toolCalls = sortedIndexes.map((i) => calls.get(i) as ChatToolCall);
  const itemIdByCallId = new Map<string, string>();
  for (const index of sortedIndexes) itemIdByCallId.set((calls.get(index) as ChatToolCall).id, callItemIds.get(index) as string);
  return { content: finalText, toolCalls, finishReason, messageItemId, itemIdByCallId };
}

/** Chat usage -> response usage, summed over the turns of one response. */
export function addUsage(total: ResponseUsage | null, usage: JsonObject): ResponseUsage {
  const promptDetails = usage.prompt_tokens_details as { cached_tokens?: number | null } | null | undefined;
  const completionDetails = usage.completion_tokens_details as { reasoning_tokens?: number | null } | null | undefined;
  const inputDetails = promptDetails ? { cached_tokens: promptDetails.cached_tokens ?? null } : (total?.input_tokens_details ?? null);
  const outputDetails = completionDetails
    ? { reasoning_tokens: completionDetails.reasoning_tokens ?? null }
    : (total?.output_tokens_details ?? null);
  return {
    input_tokens: (total?.input_tokens ?? 0) + Number(usage.prompt_tokens ?? 0),
    output_tokens: (total?.output_tokens ?? 0) + Number(usage.completion_tokens ?? 0),
    total_tokens: (total?.total_tokens ?? 0) + Number(usage.total_tokens ?? 0),
    input_tokens_details: inputDetails,
    output_tokens_details: outputDetails,
  };
}
