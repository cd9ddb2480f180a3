/**
 * Wire types of the Responses API (upstream's llama_stack_api.openai_responses), keys in the order
 * upstream's models dump them, plus the chat-completion shapes the orchestrator sends to inference.
 */
import type { JsonObject } from "../../server/types.js";

export type ContentPart =
  | { text: string; type: "input_text" }
  | { detail: "low" | "high" | "auto"; type: "input_image"; file_id: string | null; image_url: string | null }
  | { type: "input_file"; file_data: string | null; file_id: string | null; file_url: string | null; filename: string | null }
  | { text: string; type: "output_text"; annotations: JsonObject[] }
  | { type: "refusal"; refusal: string };

export interface MessageItem {
  content: string | ContentPart[];
  role: "system" | "developer" | "user" | "assistant";
  type: "message";
  id: string | null;
  status: string | null;
}

export interface FunctionCallItem {
  call_id: string;
  name: string;
  arguments: string;
  type: "function_call";
  id: string | null;
  status: string | null;
}

export interface FunctionCallOutputItem {
  call_id: string;
  output: string;
  type: "function_call_output";
  id: string | null;
  status: string | null;
}

export interface McpListedTool {
  input_schema: JsonObject;
  name: string;
  description: string | null;
}

export interface McpListToolsItem {
  id: string;
  type: "mcp_list_tools";
  server_label: string;
  tools: McpListedTool[];
}

export interface McpCallItem {
  id: string;
  type: "mcp_call";
  arguments: string;
  name: string;
  server_label: string;
  error: string | null;
  output: string | null;
}

export interface McpApprovalRequestItem {
  arguments: string;
  id: string;
  name: string;
  server_label: string;
  type: "mcp_approval_request";
}

export interface McpApprovalResponseItem {
  approval_request_id: string;
  approve: boolean;
  type: "mcp_approval_response";
  id: string | null;
  reason: string | null;
}

export interface WebSearchCallItem {
  id: string;
  status: string;
  type: "web_search_call";
}

export interface FileSearchCallItem {
  id: string;
  queries: string[];
  status: string;
  type: "file_search_call";
  results: JsonObject[] | null;
}

export type OutputItem =
  | MessageItem
  | WebSearchCallItem
  | FileSearchCallItem
  | FunctionCallItem
  | McpCallItem
  | McpListToolsItem
  | McpApprovalRequestItem;

export type InputItem = OutputItem | FunctionCallOutputItem | McpApprovalResponseItem;

export interface FunctionTool {
  type: "function";
  name: string;
  description: string | null;
  parameters: JsonObject | null;
  strict: boolean | null;
}

export type AllowedTools = string[] | { tool_names: string[] | null };
export type RequireApproval = "always" | "never" | { always: string[] | null; never: string[] | null };

export interface McpTool {
  type: "mcp";
  server_label: string;
  server_url: string;
  headers: Record<string, unknown> | null;
  /** Bearer token for the server; never echoed back (upstream excludes it from dumps). */
  authorization: string | null;
  require_approval: RequireApproval;
  allowed_tools: AllowedTools | null;
}

export const WEB_SEARCH_TYPES = ["web_search", "web_search_preview", "web_search_preview_2025_03_11", "web_search_2025_08_26"] as const;

export interface WebSearchTool {
  type: (typeof WEB_SEARCH_TYPES)[number];
  search_context_size: string | null;
}

export interface FileSearchTool {
  type: "file_search";
  vector_store_ids: string[];
  filters: JsonObject | null;
  max_num_results: number | null;
  ranking_options: JsonObject | null;
}

export type InputTool = FunctionTool | McpTool | WebSearchTool | FileSearchTool;

/** A response's `tool_choice` as upstream's models dump it (keys in field order, defaults filled in). */
export type ToolChoice =
  | "auto"
  | "required"
  | "none"
  | { mode: "auto" | "required"; tools: Record<string, string>[]; type: "allowed_tools" }
  | { type: "file_search" }
  | { type: WebSearchTool["type"] }
  | { name: string; type: "function" }
  | { server_label: string; type: "mcp"; name: string | null }
  | { type: "custom"; name: string };

/** The tools echoed on a response: MCP tools lose their URL, headers and token. */
export type ResponseTool = FunctionTool | WebSearchTool | FileSearchTool | { type: "mcp"; server_label: string; allowed_tools: AllowedTools | null };

export interface TextConfig {
  format: ({ type: "text" | "json_schema" | "json_object" } & JsonObject) | null;
}

export interface ResponseUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  input_tokens_details: { cached_tokens: number | null } | null;
  output_tokens_details: { reasoning_tokens: number | null } | null;
}

export interface ResponseError {
  code: string;
  message: string;
}

export interface ResponseObject {
  created_at: number;
  error: ResponseError | null;
  id: string;
  model: string;
  object: "response";
  output: OutputItem[];
  parallel_tool_calls: boolean | null;
  previous_response_id: string | null;
  prompt: JsonObject | null;
  status: string;
  temperature: number | null;
  text: TextConfig;
  top_p: number | null;
  tools: ResponseTool[] | null;
  tool_choice: ToolChoice | null;
  truncation: string | null;
  usage: ResponseUsage | null;
  instructions: string | null;
  max_tool_calls: number | null;
}

/** Streaming events: each carries its `type`; most carry a `sequence_number`. */
export type StreamEvent = JsonObject & { type: string };

/** A chat-completions message as the orchestrator builds it (null keys are dropped on the way out). */
export type ChatMessage = JsonObject & { role: string };

export interface ChatToolCall {
  index: number;
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** A chat-completions tool definition. */
export interface ChatTool {
  type: "function";
  function: JsonObject;
}
