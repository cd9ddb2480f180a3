/**
 * A stored prompt template as a response's system message (upstream's _prepend_prompt): text
 * variables substituted into `{{ name }}`, media variables named in the text and sent as a
 * trailing user message.
 */
import { InvalidValueError } from "../../server/errors.js";
import type { JsonObject } from "../../server/types.js";
import type { PromptsService } from "../prompts/service.js";
import { convertContent } from "./chat-messages.js";
import type { ChatMessage, ContentPart } from "./types.js";

export interface ResponsePrompt {
  id: string;
  variables: Record<string, ContentPart> | null;
  version: string | null;
}

/** "input_image" -> "Image", "input_file" -> "File", as upstream titles the type. */
function mediaLabel(type: string): string {
  return type
    .replace("input_", "")
    .replace(/_/g, " ")
    .replace(/\b\w/g, (c) => c.toUpperCase());
}

export function prependPrompt(messages: ChatMessage[], prompt: ResponsePrompt | null, prompts: PromptsService): void {
  if (!prompt?.id) return;
  const stored = prompts.get(prompt.id, prompt.version ? Number.parseInt(prompt.version, 10) : null);
  if (!stored.prompt) return;
  if (!prompt.variables || Object.keys(prompt.variables).length === 0) {
    messages.unshift({ role: "system", content: stored.prompt });
    return;
  }
  const substitutions = new Map<string, string>();
  const media: JsonObject[] = [];
  for (const [name, value] of Object.entries(prompt.variables)) {
    if (!stored.variables.includes(name)) throw new InvalidValueError(`Variable ${name} not found in prompt ${prompt.id}`);
    if (value.type === "input_text") {
      substitutions.set(name, value.text);
    } else if (value.type === "input_image" || value.type === "input_file") {
      media.push(...(convertContent([value]) as JsonObject[]));
      substitutions.set(name, `[${mediaLabel(value.type)}: ${name}]`);
    }
  }
  const text = stored.prompt.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => substitutions.get(name.trim()) ?? whole);
  messages.unshift({ role: "system", content: text });
  if (media.length) messages.push({ role: "user", content: media });
}
