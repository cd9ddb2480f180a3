/**
 * A chat message validated as upstream's OpenAIMessageParam: a union discriminated by `role`, so errors
 * are pydantic's tag errors, and a member's missing field is reported under the tag
 * (`messages.0.user.content`). Valid messages pass through unchanged.
 */
import { z } from "zod";
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

function issue(ctx: z.RefinementCtx, path: (string | number)[], pyType: string, pyMsg: string): void {
  ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: pyMsg, params: { pyType, pyMsg } satisfies PyIssueParams });
}

export const chatMessage = z.unknown().superRefine((value, ctx) => {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    issue(ctx, [], "model_attributes_type", "Input should be a valid dictionary or object to extract fields from");
    return;
  }
  const message = value as Record<string, unknown>;
  if (!("role" in message)) {
    issue(ctx, [], "union_tag_not_found", "Unable to extract tag using discriminator 'role'");
    return;
  }
  const role = message.role;
  if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) {
    const tags = ROLES.map((r) => `'${r}'`).join(", ");
    issue(ctx, [], "union_tag_invalid", `Input tag '${String(role)}' found using 'role' does not match any of the expected tags: ${tags}`);
    return;
  }
  for (const field of REQUIRED[role as (typeof ROLES)[number]]) {
    if (message[field] === undefined) issue(ctx, [role, field], "missing", "Field required");
  }
}) as z.ZodType<Record<string, unknown> & { role: string; content?: unknown }>;
