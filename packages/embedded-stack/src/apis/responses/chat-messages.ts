/**
 * Response input -> chat-completion messages, as upstream converts them: function calls become
 * assistant tool calls followed by their outputs, MCP calls carry their output, listings and
 * approvals stay out, and a user message repeating the previous turn's last user message is dropped.
 */
import { InvalidValueError } from "../../server/errors.js";
import type { JsonObject } from "../../server/types.js";
import { dropNulls } from "../inference/provider-body.js";
import { pyRepr } from "../vector_io/py-repr.js";
import type { ChatMessage, ContentPart, InputItem } from "./types.js";

type ChatContent = string | JsonObject[];

function dataUrl(data: string, mimeType: string | null): string {
  return `data:${mimeType ?? "application/octet-stream"};base64,${data}`;
}

/** Upstream's mimetypes.guess_type for the file kinds clients send inline. */
function guessMimeType(filename: string | null): string | null {
  const ext = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  const known: Record<string, string> = {
    pdf: "application/pdf", txt: "text/plain", md: "text/markdown", csv: "text/csv", json: "application/json",
    html: "text/html", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp",
  };
  return ext ? (known[ext] ?? null) : null;
}

function convertPart(part: ContentPart): JsonObject {
  switch (part.type) {
    case "input_text":
    case "output_text":
      return { type: "text", text: part.text };
    case "input_image":
      if (part.image_url) return { type: "image_url", image_url: { url: part.image_url, detail: part.detail } };
      if (part.file_id) throw new InvalidValueError("file_ids are not supported by this implementation of the Stack");
      throw new InvalidValueError(
        `Image content must have either 'image_url' or 'file_id'. Got image_url=None, file_id=None`,
      );
    case "input_file": {
      if (part.file_id) throw new InvalidValueError("file_ids are not supported by this implementation of the Stack");
      let fileData: string | null = null;
      if (part.file_data) {
        fileData = part.file_data.startsWith("data:") ? part.file_data : dataUrl(part.file_data, guessMimeType(part.filename));
      } else if (part.file_url) {
        fileData = part.file_url;
      } else {
        throw new InvalidValueError(
          "File content must have at least one of 'file_data', 'file_id', or 'file_url'. Got file_data=None, file_id=None, file_url=None",
        );
      }
      return { type: "file", file: { file_data: fileData, filename: part.filename } };
    }
    case "refusal":
      throw new InvalidValueError("Llama Stack OpenAI Responses does not yet support content type 'refusal' in this context");
  }
}

export function convertContent(content: string | ContentPart[]): ChatContent {
  return typeof content === "string" ? content : content.map(convertPart);
}

function sameContent(a: unknown, b: unknown): boolean {
  return JSON.stringify(dropNulls(a)) === JSON.stringify(dropNulls(b));
}

function toolCallIds(messages: ChatMessage[]): Set<string> {
  const ids = new Set<string>();
  for (const m of messages) {
    if (m.role !== "assistant" || !Array.isArray(m.tool_calls)) continue;
    for (const call of m.tool_calls as JsonObject[]) ids.add(String(call.id));
  }
  return ids;
}

function assistantToolCall(id: string, name: string, args: string): ChatMessage {
  return { role: "assistant", tool_calls: [{ index: 0, id, type: "function", function: { name, arguments: args } }] };
}

export function inputToChatMessages(input: string | InputItem[], previous: ChatMessage[] = []): ChatMessage[] {
  if (typeof input === "string") return [{ role: "user", content: input }];
  const messages: ChatMessage[] = [];
  const outputs = new Map<string, ChatMessage>();
  for (const item of input) {
    if (item.type === "function_call_output") outputs.set(item.call_id, { role: "tool", content: item.output, tool_call_id: item.call_id });
  }
  const lastPreviousUser = [...previous].reverse().find((m) => m.role === "user");
  for (const item of input) {
    switch (item.type) {
      case "function_call": {
        messages.push(assistantToolCall(item.call_id, item.name, item.arguments));
        const output = outputs.get(item.call_id);
        if (output) {
          messages.push(output);
          outputs.delete(item.call_id);
        }
        break;
      }
      case "mcp_call":
        messages.push(assistantToolCall(item.id, item.name, item.arguments));
        messages.push({ role: "tool", content: item.output ?? "", tool_call_id: item.id });
        break;
      case "message": {
        const content = convertContent(item.content);
        // A client resending the previous turn's question alongside function outputs must not repeat it.
        if (item.role === "user" && lastPreviousUser && sameContent(lastPreviousUser.content, content)) break;
        messages.push({ role: item.role, content });
        break;
      }
      default:
        // Outputs were paired above; tool listings, searches and approvals never reach the model.
        break;
    }
  }
  if (outputs.size > 0) {
    const previousIds = toolCallIds(previous);
    for (const [callId, output] of [...outputs]) {
      if (!previousIds.has(callId)) continue;
      messages.push(output);
      outputs.delete(callId);
    }
    if (outputs.size > 0) {
      throw new InvalidValueError(
        `Received function_call_output(s) with call_id(s) dict_keys(${pyRepr([...outputs.keys()])}), but no corresponding function_call`,
      );
    }
  }
  return messages;
}
