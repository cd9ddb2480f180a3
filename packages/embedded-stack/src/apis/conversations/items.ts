import { z } from "zod";

/**
 * Conversation items as upstream's models accept and dump them: unknown keys are dropped, optional
 * fields come back as null, keys in declaration order (zod emits the shape's order).
 */

const optionalString = z.string().nullable().default(null);

const inputText = z.object({ text: z.string(), type: z.literal("input_text") });
const inputImage = z.object({
  detail: z.enum(["low", "high", "auto"]).default("auto"),
  type: z.literal("input_image"),
  file_id: optionalString,
  image_url: optionalString,
});
const inputFile = z
  .object({
    type: z.literal("input_file"),
    file_data: optionalString,
    file_id: optionalString,
    file_url: optionalString,
    filename: optionalString,
  })
  .refine((f) => Boolean(f.file_data || f.file_id || f.file_url || f.filename), {
    message: "At least one of 'file_data', 'file_id', 'file_url', or 'filename' must be provided for file content",
  });
const inputContent = z.union([
  inputText,
  inputImage,
  inputFile,
]);

const annotation = z.discriminatedUnion("type", [
  z.object({ type: z.literal("file_citation"), file_id: z.string(), filename: z.string(), index: z.number().int() }),
  z.object({
    type: z.literal("url_citation"),
    end_index: z.number().int(),
    start_index: z.number().int(),
    title: z.string(),
    url: z.string(),
  }),
  z.object({
    type: z.literal("container_file_citation"),
    container_id: z.string(),
    end_index: z.number().int(),
    file_id: z.string(),
    filename: z.string(),
    start_index: z.number().int(),
  }),
  z.object({ type: z.literal("file_path"), file_id: z.string(), index: z.number().int() }),
]);
const outputContent = z.discriminatedUnion("type", [
  z.object({ text: z.string(), type: z.literal("output_text"), annotations: z.array(annotation).default([]) }),
  z.object({ type: z.literal("refusal"), refusal: z.string() }),
]);

const message = z.object({
  content: z.union([z.string(), z.array(inputContent), z.array(outputContent)]),
  role: z.enum(["system", "developer", "user", "assistant"]),
  type: z.literal("message"),
  id: optionalString,
  status: optionalString,
});

const webSearchCall = z.object({ id: z.string(), status: z.string(), type: z.literal("web_search_call") });

const fileSearchCall = z.object({
  id: z.string(),
  queries: z.array(z.string()),
  status: z.string(),
  type: z.literal("file_search_call"),
  results: z
    .array(
      z.object({
        attributes: z.record(z.unknown()),
        file_id: z.string(),
        filename: z.string(),
        score: z.number(),
        text: z.string(),
      }),
    )
    .nullable()
    .default(null),
});

const functionCall = z.object({
  call_id: z.string(),
  name: z.string(),
  arguments: z.string(),
  type: z.literal("function_call"),
  id: optionalString,
  status: optionalString,
});

const functionCallOutput = z.object({
  call_id: z.string(),
  output: z.string(),
  type: z.literal("function_call_output"),
  id: optionalString,
  status: optionalString,
});

const mcpApprovalRequest = z.object({
  arguments: z.string(),
  id: z.string(),
  name: z.string(),
  server_label: z.string(),
  type: z.literal("mcp_approval_request"),
});

const mcpApprovalResponse = z.object({
  approval_request_id: z.string(),
  approve: z.boolean(),
  type: z.literal("mcp_approval_response"),
  id: optionalString,
  reason: optionalString,
});

const mcpCall = z.object({
  id: z.string(),
  type: z.literal("mcp_call"),
  arguments: z.string(),
  name: z.string(),
  server_label: z.string(),
  error: optionalString,
  output: optionalString,
});

const mcpListTools = z.object({
  id: z.string(),
  type: z.literal("mcp_list_tools"),
  server_label: z.string(),
  tools: z.array(
    z.object({ input_schema: z.record(z.unknown()), name: z.string(), description: optionalString }),
  ),
});

export const conversationItemSchema = z.discriminatedUnion("type", [
  message,
  webSearchCall,
  fileSearchCall,
  functionCall,
  functionCallOutput,
  mcpApprovalRequest,
  mcpApprovalResponse,
  mcpCall,
  mcpListTools,
]);

export type ConversationItem = z.output<typeof conversationItemSchema>;
