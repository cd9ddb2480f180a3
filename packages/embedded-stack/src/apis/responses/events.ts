/**
 * Streaming events of one response, keys in upstream's declaration order. The emitter owns the
 * response id and the sequence counter; upstream bumps the counter in a few places without emitting,
 * so `bump()` is separate from the builders that use the current number.
 */
import type { JsonObject } from "../../server/types.js";
import type { OutputItem, ResponseObject, StreamEvent } from "./types.js";

export function textPart(text: string): JsonObject {
  return { type: "output_text", text, annotations: [], logprobs: null };
}

export class EventEmitter {
  sequence = 0;

  constructor(readonly responseId: string) {}

  bump(): number {
    this.sequence += 1;
    return this.sequence;
  }

  created(response: ResponseObject): StreamEvent {
    return { response, type: "response.created" };
  }

  /** response.in_progress, response.incomplete and response.failed carry a fresh sequence number. */
  lifecycle(type: "response.in_progress" | "response.incomplete" | "response.failed", response: ResponseObject): StreamEvent {
    return { response, sequence_number: this.bump(), type };
  }

  completed(response: ResponseObject): StreamEvent {
    return { response, type: "response.completed" };
  }

  outputItem(type: "added" | "done", item: OutputItem, outputIndex: number): StreamEvent {
    return {
      response_id: this.responseId,
      item: structuredClone(item),
      output_index: outputIndex,
      sequence_number: this.bump(),
      type: `response.output_item.${type}`,
    };
  }

  contentPart(type: "added" | "done", contentIndex: number, itemId: string, outputIndex: number, part: JsonObject): StreamEvent {
    return {
      content_index: contentIndex,
      response_id: this.responseId,
      item_id: itemId,
      output_index: outputIndex,
      part,
      sequence_number: this.bump(),
      type: `response.content_part.${type}`,
    };
  }

  /** output_text / reasoning_text / refusal deltas. */
  contentDelta(kind: "output_text" | "reasoning_text" | "refusal", contentIndex: number, delta: string, itemId: string, outputIndex: number): StreamEvent {
    return { content_index: contentIndex, delta, item_id: itemId, output_index: outputIndex, sequence_number: this.bump(), type: `response.${kind}.delta` };
  }

  /** reasoning_text.done carries `text`, refusal.done carries `refusal`. */
  contentDone(kind: "reasoning_text" | "refusal", contentIndex: number, value: string, itemId: string, outputIndex: number): StreamEvent {
    const key = kind === "refusal" ? "refusal" : "text";
    return { content_index: contentIndex, [key]: value, item_id: itemId, output_index: outputIndex, sequence_number: this.bump(), type: `response.${kind}.done` };
  }

  /** function_call_arguments.* or mcp_call.arguments.* */
  arguments(tool: "function" | "mcp", phase: "delta" | "done", value: string, itemId: string, outputIndex: number): StreamEvent {
    const type = tool === "mcp" ? `response.mcp_call.arguments.${phase}` : `response.function_call_arguments.${phase}`;
    return { [phase === "delta" ? "delta" : "arguments"]: value, item_id: itemId, output_index: outputIndex, sequence_number: this.bump(), type };
  }

  /** Events with only a sequence number: mcp_list_tools.*, mcp_call.completed / failed. */
  marker(type: string): StreamEvent {
    return { sequence_number: this.bump(), type };
  }

  /** response.web_search_call.* / response.file_search_call.* (in_progress, searching, completed). */
  toolCallProgress(kind: "web_search_call" | "file_search_call", phase: "in_progress" | "searching" | "completed", itemId: string, outputIndex: number): StreamEvent {
    return { item_id: itemId, output_index: outputIndex, sequence_number: this.bump(), type: `response.${kind}.${phase}` };
  }

  mcpCallInProgress(itemId: string, outputIndex: number): StreamEvent {
    return { item_id: itemId, output_index: outputIndex, sequence_number: this.bump(), type: "response.mcp_call.in_progress" };
  }
}
