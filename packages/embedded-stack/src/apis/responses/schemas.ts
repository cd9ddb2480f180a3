/**
 * Request shapes of the Responses routes, parsed the way upstream's pydantic models parse them:
 * unknown keys dropped, optional fields defaulted (null), keys in declaration order so stored
 * items dump like upstream's. A message item may omit `type`.
 */
import { z } from "zod";
import { pyInt, type PyIssueParams } from "../../server/py-types.js";
import { pyRepr } from "../vector_io/py-repr.js";
import { WEB_SEARCH_TYPES, type ToolChoice } from "./types.js";

const nullableString = z.string().nullable().default(null);
const jsonObject = z.record(z.unknown());

const contentPart = z.discriminatedUnion("type", [
  z.object({ text: z.string(), type: z.literal("input_text") }),
  z.object({
    detail: z.enum(["low", "high", "auto"]).default("auto"),
    type: z.literal("input_image"),
    file_id: nullableString,
    image_url: nullableString,
  }),
  z.object({
    type: z.literal("input_file"),
    file_data: nullableString,
    file_id: nullableString,
    file_url: nullableString,
    filename: nullableString,
  }),
  z.object({ text: z.string(), type: z.literal("output_text"), annotations: z.array(jsonObject).default([]) }),
  z.object({ type: z.literal("refusal"), refusal: z.string() }),
]);

const message = z.object({
  content: z.union([z.string(), z.array(contentPart)]),
  role: z.enum(["system", "developer", "user", "assistant"]),
  type: z.literal("message"),
  id: nullableString,
  status: nullableString,
});

const inputItemByType = z.discriminatedUnion("type", [
  message,
  z.object({ id: z.string(), status: z.string(), type: z.literal("web_search_call") }),
  z.object({
    id: z.string(),
    queries: z.array(z.string()),
    status: z.string(),
    type: z.literal("file_search_call"),
    results: z.array(jsonObject).nullable().default(null),
  }),
  z.object({
    call_id: z.string(),
    name: z.string(),
    arguments: z.string(),
    type: z.literal("function_call"),
    id: nullableString,
    status: nullableString,
  }),
  z.object({
    id: z.string(),
    type: z.literal("mcp_call"),
    arguments: z.string(),
    name: z.string(),
    server_label: z.string(),
    error: nullableString,
    output: nullableString,
  }),
  z.object({
    id: z.string(),
    type: z.literal("mcp_list_tools"),
    server_label: z.string(),
    tools: z.array(z.object({ input_schema: jsonObject, name: z.string(), description: nullableString })),
  }),
  z.object({
    arguments: z.string(),
    id: z.string(),
    name: z.string(),
    server_label: z.string(),
    type: z.literal("mcp_approval_request"),
  }),
  z.object({
    call_id: z.string(),
    output: z.string(),
    type: z.literal("function_call_output"),
    id: nullableString,
    status: nullableString,
  }),
  z.object({
    approval_request_id: z.string(),
    approve: z.boolean(),
    type: z.literal("mcp_approval_response"),
    id: nullableString,
    reason: nullableString,
  }),
]);

/** An item without `type` is a message, as upstream's union falls through to its message model. */
export const inputItem = z.preprocess(
  (value) => (value && typeof value === "object" && !("type" in value) ? { ...value, type: "message" } : value),
  inputItemByType,
);

const nameList = z.array(z.string()).nullable().default(null);

export const inputTool = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("function"),
    name: z.string(),
    description: nullableString,
    parameters: jsonObject.nullable(),
    strict: z.boolean().nullable().default(null),
  }),
  z.object({
    type: z.enum(WEB_SEARCH_TYPES),
    search_context_size: z.string().regex(/^low|medium|high$/).nullable().default("medium"),
  }),
  z.object({
    type: z.literal("file_search"),
    vector_store_ids: z.array(z.string()),
    filters: jsonObject.nullable().default(null),
    max_num_results: z.number().int().min(1).max(50).nullable().default(10),
    ranking_options: jsonObject.nullable().default(null),
  }),
  z.object({
    type: z.literal("mcp"),
    server_label: z.string(),
    server_url: z.string(),
    headers: jsonObject.nullable().default(null),
    authorization: nullableString,
    require_approval: z
      .union([z.literal("always"), z.literal("never"), z.object({ always: nameList, never: nameList })])
      .default("never"),
    allowed_tools: z.union([z.array(z.string()), z.object({ tool_names: nameList })]).nullable().default(null),
  }),
]);

/** The object members of upstream's tool choice union, by tag; extra keys are dropped, defaults filled in. */
const toolChoiceObjects: Record<string, z.ZodTypeAny> = {
  allowed_tools: z.object({
    mode: z
      .unknown()
      .superRefine((mode, ctx) => {
        if (mode !== "auto" && mode !== "required") ctx.addIssue(pyIssueData([], "literal_error", "Input should be 'auto' or 'required'"));
      })
      .default("auto"),
    tools: z.array(z.record(z.string())),
    type: z.literal("allowed_tools"),
  }),
  file_search: z.object({ type: z.literal("file_search") }),
  ...Object.fromEntries(WEB_SEARCH_TYPES.map((t) => [t, z.object({ type: z.literal(t) })])),
  function: z.object({ name: z.string(), type: z.literal("function") }),
  mcp: z.object({ server_label: z.string(), type: z.literal("mcp"), name: nullableString }),
  custom: z.object({ type: z.literal("custom"), name: z.string() }),
};
const TOOL_CHOICE_MEMBERS = ["AllowedTools", "FileSearch", ...WEB_SEARCH_TYPES.map(() => "WebSearch"), "FunctionTool", "MCPTool", "CustomTool"];
const TOOL_CHOICE_UNION = `tagged-union[${TOOL_CHOICE_MEMBERS.map((m) => `OpenAIResponseInputToolChoice${m}`).join(",")}]`;

type Issue = Parameters<z.RefinementCtx["addIssue"]>[0];

function pyIssueData(path: (string | number)[], pyType: string, pyMsg: string): Issue {
  return { code: z.ZodIssueCode.custom, path, message: pyMsg, params: { pyType, pyMsg } satisfies PyIssueParams };
}

/** The object member a value's `type` selects, parsed; or the errors pydantic's tagged union reports. */
function parseToolChoiceObject(value: unknown): { data: ToolChoice } | { issues: Issue[] } {
  const at = (issue: Issue) => ({ issues: [issue] });
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return at(pyIssueData([TOOL_CHOICE_UNION], "model_attributes_type", "Input should be a valid dictionary or object to extract fields from"));
  }
  if (!("type" in value)) return at(pyIssueData([TOOL_CHOICE_UNION], "union_tag_not_found", "Unable to extract tag using discriminator 'type'"));
  const tag = (value as { type: unknown }).type;
  const member = typeof tag === "string" ? toolChoiceObjects[tag] : undefined;
  if (!member) {
    const tags = Object.keys(toolChoiceObjects).map((t) => `'${t}'`).join(", ");
    const shown = typeof tag === "string" ? tag : pyRepr(tag);
    return at(pyIssueData([TOOL_CHOICE_UNION], "union_tag_invalid", `Input tag '${shown}' found using 'type' does not match any of the expected tags: ${tags}`));
  }
  const parsed = member.safeParse(value);
  if (parsed.success) return { data: parsed.data as ToolChoice };
  return { issues: parsed.error.issues.map((issue) => ({ ...issue, path: [TOOL_CHOICE_UNION, tag as string, ...issue.path] })) };
}

/**
 * `tool_choice`: a mode or an object tagged by `type`. A bad value gets pydantic's union errors: one
 * for the mode enum, then the tagged union's (under the tag when a member's field is wrong).
 */
const toolChoice = z.unknown().transform((value, ctx): ToolChoice => {
  if (value === "auto" || value === "required" || value === "none") return value;
  const object = parseToolChoiceObject(value);
  if ("data" in object) return object.data;
  ctx.addIssue(pyIssueData(["str-enum[OpenAIResponseInputToolChoiceMode]"], "enum", "Input should be 'auto', 'required' or 'none'"));
  for (const issue of object.issues) ctx.addIssue(issue);
  return z.NEVER;
});

const textFormat = z
  .object({
    type: z.enum(["text", "json_schema", "json_object"]),
    name: z.string().nullish(),
    schema: jsonObject.nullish(),
    description: z.string().nullish(),
    strict: z.boolean().nullish(),
  })
  .nullable()
  .default(null);

const guardrail = z.union([z.string(), z.object({ type: z.string() }).transform((spec) => spec.type)]);

export const createResponseBody = z.object({
  input: z.union([z.string(), z.array(inputItem)]),
  model: z.string(),
  prompt: z
    .object({ id: z.string(), variables: z.record(contentPart).nullable().default(null), version: nullableString })
    .nullable()
    .default(null),
  instructions: nullableString,
  parallel_tool_calls: z.boolean().nullable().default(true),
  previous_response_id: nullableString,
  conversation: nullableString,
  store: z.boolean().nullable().default(true),
  stream: z.boolean().nullable().default(false),
  temperature: z.number().nullable().default(null),
  text: z.object({ format: textFormat }).nullable().default(null),
  tool_choice: toolChoice.nullable().default(null),
  tools: z.array(inputTool).nullable().default(null),
  include: z.array(z.string()).nullable().default(null),
  max_infer_iters: z.number().int().nullable().default(10),
  guardrails: z.array(guardrail).nullable().default(null),
  max_tool_calls: z.number().int().nullable().default(null),
});

export type CreateResponseRequest = z.output<typeof createResponseBody>;

const order = z.enum(["asc", "desc"]);

export const listResponsesQuery = z.object({
  after: z.string().optional(),
  limit: pyInt().optional(),
  model: z.string().optional(),
  order: order.optional(),
});

export const listInputItemsQuery = z.object({
  after: z.string().optional(),
  before: z.string().optional(),
  include: z.union([z.string(), z.array(z.string())]).optional(),
  limit: pyInt().optional(),
  order: order.optional(),
});
