/**
 * Attributes of Llama Stack's manual `run_shield <shield_id>` span (llama_stack/telemetry): the request
 * messages as Python's json.dumps of their pydantic model_dump (every declared field, unset ones as
 * null, declared order, extra keys dropped), and the violation only when there is one.
 */
import { pyJsonDumps } from "../apis/batches/py-json.js";
import type { JsonObject } from "../server/types.js";
import type { SpanAttributes } from "./types.js";

export interface ShieldViolation {
  violation_level: string;
  user_message?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** Upstream's safety router module, which opens the span. */
export const SAFETY_SCOPE = "llama_stack.core.routers.safety";

export function runShieldSpanName(shieldId: string): string {
  return `run_shield ${shieldId}`;
}

function orNull(value: unknown): unknown {
  return value === undefined ? null : value;
}

function contentPart(part: unknown): unknown {
  if (!part || typeof part !== "object") return part;
  const p = part as JsonObject;
  if (p.type === "text") return { type: "text", text: p.text };
  if (p.type === "image_url") {
    const image = (p.image_url ?? {}) as JsonObject;
    return { type: "image_url", image_url: { url: image.url, detail: orNull(image.detail) } };
  }
  if (p.type === "file") {
    const file = (p.file ?? {}) as JsonObject;
    return { type: "file", file: { file_data: orNull(file.file_data), file_id: orNull(file.file_id), filename: orNull(file.filename) } };
  }
  return part;
}

function content(value: unknown): unknown {
  return Array.isArray(value) ? value.map(contentPart) : orNull(value);
}

function toolCall(call: unknown): unknown {
  const c = (call ?? {}) as JsonObject;
  const fn = c.function as JsonObject | null | undefined;
  return {
    index: orNull(c.index),
    id: orNull(c.id),
    type: "function",
    function: fn ? { name: orNull(fn.name), arguments: orNull(fn.arguments) } : null,
  };
}

/** One OpenAIMessageParam as pydantic's model_dump() gives it, fields in the class's order. */
export function dumpMessage(message: JsonObject): JsonObject {
  switch (message.role) {
    case "assistant":
      return {
        role: "assistant",
        content: content(message.content),
        name: orNull(message.name),
        tool_calls: Array.isArray(message.tool_calls) ? message.tool_calls.map(toolCall) : null,
      };
    case "tool":
      return { role: "tool", tool_call_id: message.tool_call_id, content: content(message.content) };
    default:
      return { role: message.role, content: content(message.content), name: orNull(message.name) };
  }
}

export function runShieldAttributes(shieldId: string, messages: JsonObject[], violation: ShieldViolation | null): SpanAttributes {
  const out: SpanAttributes = {
    "llama_stack.safety.request.shield_id": shieldId,
    "llama_stack.safety.request.messages": pyJsonDumps(messages.map(dumpMessage)),
  };
  if (violation) {
    if (violation.metadata && Object.keys(violation.metadata).length > 0) out["llama_stack.safety.response.metadata"] = pyJsonDumps(violation.metadata);
    if (violation.user_message) out["llama_stack.safety.response.violation.user_message"] = violation.user_message;
    out["llama_stack.safety.response.violation.level"] = violation.violation_level;
  }
  return out;
}
