import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from "node-llama-cpp";
import { badRequest } from "./errors.js";
import { asObject, type Json } from "./validate.js";

const ROLES = ["system", "developer", "user", "assistant", "tool"] as const;

/** Text of an OpenAI message content: a string or an array of parts (non-text parts become a marker). */
function contentText(content: unknown, path: string): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) throw badRequest(path, `'${path}' must be a string or an array of content parts.`);
  return content
    .map((part, i) => {
      const p = asObject(part, `${path}[${i}]`);
      if (p.type === "text" && typeof p.text === "string") return p.text;
      if (typeof p.type !== "string") throw badRequest(`${path}[${i}].type`, `'${path}[${i}].type' is required.`);
      // This text-only server keeps the turn but cannot see images, audio or files.
      return `[${p.type}]`;
    })
    .join("");
}

function parseArguments(raw: unknown): unknown {
  if (typeof raw !== "string") return raw ?? {};
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Converts OpenAI chat messages into node-llama-cpp chat history (tool results attached to their calls). */
export function toChatHistory(messagesValue: unknown): ChatHistoryItem[] {
  if (!Array.isArray(messagesValue) || messagesValue.length === 0) {
    throw badRequest("messages", "'messages' is required and must be a non-empty array.");
  }
  const history: ChatHistoryItem[] = [];
  const pendingCalls = new Map<string, ChatModelFunctionCall>();
  messagesValue.forEach((raw, i) => {
    const path = `messages[${i}]`;
    const m = asObject(raw, path);
    const role = m.role;
    if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) {
      throw badRequest(`${path}.role`, `'${path}.role' must be one of ${ROLES.join(", ")}.`);
    }
    const text = contentText(m.content, `${path}.content`);
    if (role === "system" || role === "developer") history.push({ type: "system", text });
    else if (role === "user") history.push({ type: "user", text });
    else if (role === "assistant") history.push(assistantItem(m, text, path, pendingCalls));
    else {
      const id = typeof m.tool_call_id === "string" ? m.tool_call_id : undefined;
      const call = id === undefined ? undefined : pendingCalls.get(id);
      if (call) {
        call.result = text;
        pendingCalls.delete(id!);
      } else {
        history.push({ type: "user", text: `Tool result: ${text}` });
      }
    }
  });
  const last = history.at(-1);
  if (last?.type !== "model") history.push({ type: "model", response: [] });
  return history;
}

function assistantItem(m: Json, text: string, path: string, pendingCalls: Map<string, ChatModelFunctionCall>): ChatModelResponse {
  const response: ChatModelResponse["response"] = text ? [text] : [];
  const toolCalls = m.tool_calls;
  if (toolCalls !== undefined && toolCalls !== null) {
    if (!Array.isArray(toolCalls)) throw badRequest(`${path}.tool_calls`, `'${path}.tool_calls' must be an array.`);
    toolCalls.forEach((rawCall, j) => {
      const callPath = `${path}.tool_calls[${j}]`;
      const fn = asObject(asObject(rawCall, callPath).function, `${callPath}.function`);
      if (typeof fn.name !== "string") throw badRequest(`${callPath}.function.name`, `'${callPath}.function.name' is required.`);
      const call: ChatModelFunctionCall = { type: "functionCall", name: fn.name, params: parseArguments(fn.arguments), result: "" };
      const id = (rawCall as Json).id;
      if (typeof id === "string") pendingCalls.set(id, call);
      response.push(call);
    });
  }
  return { type: "model", response };
}

/** UTF-8 bytes of the text a chat history renders, at least: its messages' texts, not the template around them. */
export function historyTextBytes(history: readonly ChatHistoryItem[]): number {
  let bytes = 0;
  for (const item of history) {
    if (item.type === "model") {
      for (const part of item.response) if (typeof part === "string") bytes += Buffer.byteLength(part);
    } else if (typeof item.text === "string") {
      bytes += Buffer.byteLength(item.text);
    }
  }
  return bytes;
}
