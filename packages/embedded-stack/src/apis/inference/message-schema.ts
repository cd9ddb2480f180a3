/**
 * A chat message validated as upstream's OpenAIMessageParam: a union discriminated by `role`, so errors
 * are pydantic's tag errors, and a member's missing field is reported under the tag
 * (`messages.0.user.content`). Valid messages pass through unchanged.
 */
import { z } from "zod";
import { UNSURE, withShortcut } from "../../server/present-fields.js";
import type { PyIssueParams } from "../../server/py-types.js";

const ROLES = ["user", "system", "assistant", "tool", "developer"] as const;
/** Required fields of each member besides `role`. */
const REQUIRED: Record<(typeof ROLES)[number], string[]> = {
  user: ["content"],
  system: ["content"],
  assistant: [],
  tool: ["tool_call_id", "content"],
  developer: ["content"],
};

interface MessageIssue {
  path: (string | number)[];
  pyType: string;
  pyMsg: string;
}

/** pydantic's errors for one message; none for a valid one. */
function messageIssues(value: unknown): MessageIssue[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return [{ path: [], pyType: "model_attributes_type", pyMsg: "Input should be a valid dictionary or object to extract fields from" }];
  }
  const message = value as Record<string, unknown>;
  if (!("role" in message)) return [{ path: [], pyType: "union_tag_not_found", pyMsg: "Unable to extract tag using discriminator 'role'" }];
  const role = message.role;
  if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) {
    const tags = ROLES.map((r) => `'${r}'`).join(", ");
    return [{ path: [], pyType: "union_tag_invalid", pyMsg: `Input tag '${String(role)}' found using 'role' does not match any of the expected tags: ${tags}` }];
  }
  return REQUIRED[role as (typeof ROLES)[number]]
    .filter((field) => message[field] === undefined)
    .map((field) => ({ path: [role, field], pyType: "missing", pyMsg: "Field required" }));
}

export const chatMessage = z.unknown().superRefine((value, ctx) => {
  for (const { path, pyType, pyMsg } of messageIssues(value)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: pyMsg, params: { pyType, pyMsg } satisfies PyIssueParams });
  }
}) as z.ZodType<Record<string, unknown> & { role: string; content?: unknown }>;

/** A request's messages: at least one. A list of valid messages comes back as a copy of the list, as zod gives it. */
export const chatMessages = withShortcut(z.array(chatMessage).min(1), (v) =>
  Array.isArray(v) && v.length > 0 && v.every((m) => messageIssues(m).length === 0) ? [...v] : UNSURE,
);
