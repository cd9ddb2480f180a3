/**
 * The agentic loop of one response (upstream's StreamingResponseOrchestrator): set up the tools
 * (MCP servers listed or reused), check the input against guardrails, then stream chat completions,
 * run MCP calls the model makes and feed their results back, until the model answers, calls a
 * client-side function, or the iteration limit is reached.
 */
import { stackBoundFetch } from "../../context/request-context.js";
import { HttpError, InvalidValueError } from "../../server/errors.js";
import type { InferenceRouter, JsonObject } from "../../server/types.js";
import type { StackTelemetry } from "../../telemetry/index.js";
import {
  extractCitations,
  KNOWLEDGE_SEARCH_TOOL,
  knowledgeSearch,
  knowledgeSearchChatTool,
  WEB_SEARCH_TOOL,
  type BuiltinToolDeps,
} from "./builtin-tools.js";
import { EventEmitter } from "./events.js";
import { messagesText, type GuardrailCheck } from "./guardrails.js";
import { invokeServerTool, listServerTools, type McpInvocation } from "./mcp-tools.js";
import { addUsage, streamTurn, type TurnResult } from "./stream-turn.js";
import { chatToolChoice } from "./tool-choice.js";
import { chatToolFromDefinition, type ToolContext } from "./tool-context.js";
import type {
  ChatMessage,
  ChatTool,
  ChatToolCall,
  FileSearchCallItem,
  FileSearchTool,
  InputTool,
  McpApprovalRequestItem,
  McpApprovalResponseItem,
  McpCallItem,
  McpListToolsItem,
  McpTool,
  MessageItem,
  OutputItem,
  ResponseObject,
  ResponseUsage,
  StreamEvent,
  TextConfig,
  ToolChoice,
  WebSearchCallItem,
} from "./types.js";

export interface ResponseSettings {
  responseId: string;
  createdAt: number;
  model: string;
  /** Chat history the first turn sends (instructions and prompt already applied). */
  messages: ChatMessage[];
  tools: InputTool[];
  toolContext: ToolContext;
  toolChoice: ToolChoice | null;
  temperature: number | null;
  /** Chat `response_format`, null for plain text. */
  responseFormat: JsonObject | null;
  text: TextConfig;
  instructions: string | null;
  prompt: JsonObject | null;
  parallelToolCalls: boolean | null;
  maxToolCalls: number | null;
  maxInferIters: number;
  approvalRequests: McpApprovalRequestItem[];
  approvalResponses: Map<string, McpApprovalResponseItem>;
}

export interface OrchestratorDeps {
  inference: InferenceRouter;
  guard: GuardrailCheck | null;
  /** file_search and web_search; null where the stack serves neither (then such tools are refused). */
  builtin: BuiltinToolDeps | null;
  /** Object ids: `prefix` + a UUID, deterministic per test id where the stack mints them so. */
  mintId: (prefix: string) => string;
  telemetry: StackTelemetry;
}

/** Upstream's modules that open the tool spans (instrumentation scopes). */
const STREAMING_SCOPE = "llama_stack.providers.inline.agents.meta_reference.responses.streaming";
const TOOL_EXECUTOR_SCOPE = "llama_stack.providers.inline.agents.meta_reference.responses.tool_executor";

interface SeparatedCalls {
  functionCalls: ChatToolCall[];
  serverCalls: ChatToolCall[];
  approvals: ChatToolCall[];
  next: ChatMessage[];
}

function invocationText(invocation: McpInvocation): string {
  return invocation.content.map((c) => (c.type === "text" ? c.text : "<image>")).join(" ");
}

function toolMessageContent(invocation: McpInvocation): JsonObject[] {
  return invocation.content.map((c) =>
    c.type === "text" ? { type: "text", text: c.text } : { type: "image_url", image_url: { url: `data:image;base64,${c.data}` } },
  );
}

export class ResponseOrchestrator {
  private readonly events: EventEmitter;
  private readonly output: OutputItem[] = [];
  private readonly mcpTools: Map<string, McpTool>;
  private chatTools: ChatTool[] | null = null;
  /** The next chat request's tool_choice: the request's choice for the first, then "auto". */
  private turnToolChoice: string | JsonObject | null = null;
  /** Names of the chat tools an allowed-tools choice keeps, for every request. */
  private allowedToolNames: Set<string> | null = null;
  private usage: ResponseUsage | null = null;
  private builtinCalls = 0;
  /** file id -> filename of every file_search hit so far: the final message's citations. */
  private readonly citationFiles = new Map<string, string>();
  /** Chat history after the last turn: what a follow-up response continues from. */
  finalMessages: ChatMessage[] = [];

  constructor(
    private readonly deps: OrchestratorDeps,
    private readonly s: ResponseSettings,
  ) {
    this.events = new EventEmitter(s.responseId);
    this.mcpTools = new Map(s.toolContext.previousTools);
  }

  private snapshot(status: string, error: { code: string; message: string } | null = null): ResponseObject {
    return {
      created_at: this.s.createdAt,
      error,
      id: this.s.responseId,
      model: this.s.model,
      object: "response",
      output: structuredClone(this.output),
      parallel_tool_calls: this.s.parallelToolCalls,
      previous_response_id: null,
      prompt: this.s.prompt,
      status,
      temperature: null,
      text: this.s.text,
      top_p: null,
      tools: this.s.toolContext.available(),
      tool_choice: this.s.toolChoice,
      truncation: null,
      usage: this.usage,
      instructions: this.s.instructions,
      max_tool_calls: this.s.maxToolCalls,
    };
  }

  /** Upstream's refusal: a bare completed response holding one refusal message. */
  private refusal(message: string): StreamEvent {
    const response: ResponseObject = {
      created_at: this.s.createdAt,
      error: null,
      id: this.s.responseId,
      model: this.s.model,
      object: "response",
      output: [{ content: [{ type: "refusal", refusal: message }], role: "assistant", type: "message", id: null, status: null }],
      parallel_tool_calls: true,
      previous_response_id: null,
      prompt: null,
      status: "completed",
      temperature: null,
      text: { format: { type: "text" } },
      top_p: null,
      tools: null,
      tool_choice: null,
      truncation: null,
      usage: null,
      instructions: null,
      max_tool_calls: null,
    };
    return this.events.completed(response);
  }

  async *run(): AsyncGenerator<StreamEvent> {
    yield this.events.created(this.snapshot("in_progress"));
    yield this.events.lifecycle("response.in_progress", this.snapshot("in_progress"));

    if (this.deps.guard) {
      const violation = await this.deps.guard(messagesText(this.s.messages.map((m) => m.content)));
      if (violation) {
        yield this.refusal(violation);
        return;
      }
    }
    yield* this.setUpTools();
    this.applyToolChoice();

    let messages = [...this.s.messages];
    let iterations = 0;
    let status: "completed" | "incomplete" = "completed";
    let last: TurnResult | null = null;
    try {
      for (;;) {
        const chunks = (await this.deps.inference.chatCompletion(this.chatRequest(messages))) as AsyncIterable<JsonObject>;
        const result = yield* streamTurn(chunks, {
          events: this.events,
          outputCount: () => this.output.length,
          mcpTools: this.mcpTools,
          guard: this.deps.guard,
          mintId: this.deps.mintId,
          addUsage: (usage) => {
            this.usage = addUsage(this.usage, usage);
          },
          refusal: (message) => this.refusal(message),
        });
        if (!result) return;
        last = result;

        const assistant: ChatMessage = { role: "assistant", content: result.content };
        if (result.toolCalls.length) assistant.tool_calls = result.toolCalls;
        const calls = this.separate(assistant, result.toolCalls, messages);
        for (const call of calls.approvals) yield* this.requestApproval(call);
        if (!(result.toolCalls.length && this.s.tools.length)) this.output.push(this.messageItem(result));
        yield* this.runServerCalls(calls.serverCalls, result, calls.next);
        yield* this.recordFunctionCalls(calls.functionCalls, result);
        messages = calls.next;

        // A client-side function call ends the response: the client runs it and continues.
        if (calls.functionCalls.length || !calls.serverCalls.length) break;
        iterations += 1;
        // A forced choice holds for the first turn only, so the model can answer from the tool results.
        if (iterations === 1 && this.turnToolChoice && this.turnToolChoice !== "auto") this.turnToolChoice = "auto";
        if (iterations >= this.s.maxInferIters) {
          status = "incomplete";
          break;
        }
      }
      if (last?.finishReason === "length") status = "incomplete";
    } catch (err) {
      // An unknown model is the client's error, not a failed response.
      if (err instanceof HttpError && err.statusCode === 404) throw err;
      this.finalMessages = [...messages];
      const message = err instanceof Error ? err.message : String(err);
      yield this.events.lifecycle("response.failed", this.snapshot("failed", { code: "internal_error", message }));
      return;
    }
    this.finalMessages = [...messages];
    if (status === "incomplete") yield this.events.lifecycle("response.incomplete", this.snapshot("incomplete"));
    else yield this.events.completed(this.snapshot("completed"));
  }

  /** Turns the request's tool_choice into the first chat request's choice and the tools every request offers. */
  private applyToolChoice(): void {
    if (!this.s.toolChoice) return;
    // Upstream fails (a 500) on a tool_choice when the request has no tools at all.
    if (!this.chatTools) throw new Error("tool_choice was given without tools");
    if (!this.chatTools.length) return;
    const serverTools = new Map<string, string[]>();
    for (const [name, server] of this.mcpTools) serverTools.set(server.server_label, [...(serverTools.get(server.server_label) ?? []), name]);
    const choice = chatToolChoice(this.s.toolChoice, this.chatTools, serverTools);
    this.turnToolChoice = choice.toolChoice;
    this.allowedToolNames = choice.allowedNames;
  }

  /** The chat request upstream sends each turn; plain text output sends no response_format. */
  private chatRequest(messages: ChatMessage[]): JsonObject {
    const body: JsonObject = { model: this.s.model, messages, stream: true, stream_options: { include_usage: true } };
    const allowed = this.allowedToolNames;
    const tools = allowed ? this.chatTools?.filter((tool) => allowed.has(tool.function.name as string)) : this.chatTools;
    if (tools) body.tools = tools;
    if (this.turnToolChoice !== null) body.tool_choice = this.turnToolChoice;
    if (this.s.temperature !== null) body.temperature = this.s.temperature;
    if (this.s.responseFormat) body.response_format = this.s.responseFormat;
    return body;
  }

  private messageItem(result: TurnResult): MessageItem {
    const { text, annotations } = extractCitations(result.content, this.citationFiles);
    return {
      content: [{ text, type: "output_text", annotations }],
      role: "assistant",
      type: "message",
      id: result.messageItemId,
      status: "completed",
    };
  }

  private separate(assistant: ChatMessage, toolCalls: ChatToolCall[], messages: ChatMessage[]): SeparatedCalls {
    const out: SeparatedCalls = { functionCalls: [], serverCalls: [], approvals: [], next: [...messages, assistant] };
    if (!this.s.tools.length) return out;
    const functionNames = new Set(this.s.tools.flatMap((t) => (t.type === "function" ? [t.name] : [])));
    for (const call of toolCalls) {
      if (functionNames.has(call.function.name)) {
        out.functionCalls.push(call);
      } else if (this.approvalRequired(call.function.name)) {
        const answer = this.approvalResponse(call.function.name, call.function.arguments);
        if (answer?.approve) {
          out.serverCalls.push(call);
        } else {
          // Upstream drops the assistant turn when a call is denied or still waits for approval.
          if (!answer) out.approvals.push(call);
          out.next.pop();
        }
      } else {
        out.serverCalls.push(call);
      }
    }
    return out;
  }

  /** Upstream requires approval for every filter-style setting, not only the listed tools. */
  private approvalRequired(toolName: string): boolean {
    const server = this.mcpTools.get(toolName);
    if (!server) return false;
    return server.require_approval !== "never";
  }

  private approvalResponse(name: string, args: string): McpApprovalResponseItem | undefined {
    const request = this.s.approvalRequests.find((r) => r.name === name && r.arguments === args);
    return request ? this.s.approvalResponses.get(request.id) : undefined;
  }

  private *requestApproval(call: ChatToolCall): Generator<StreamEvent> {
    const server = this.mcpTools.get(call.function.name) as McpTool;
    const item: McpApprovalRequestItem = {
      arguments: call.function.arguments,
      id: this.deps.mintId("approval_"),
      name: call.function.name,
      server_label: server.server_label,
      type: "mcp_approval_request",
    };
    this.output.push(item);
    yield this.events.outputItem("added", item, this.output.length - 1);
    yield this.events.outputItem("done", item, this.output.length - 1);
  }

  private async *setUpTools(): AsyncGenerator<StreamEvent> {
    for (const listing of this.s.toolContext.previousListings) {
      for (const tool of listing.tools) this.addChatTool(chatToolFromDefinition(tool.name, tool.description, tool.input_schema));
      yield* this.addListing({ id: this.deps.mintId("mcp_list_"), type: "mcp_list_tools", server_label: listing.server_label, tools: listing.tools });
    }
    if (!this.s.toolContext.toProcess.length) return;
    this.chatTools ??= [];
    for (const tool of this.s.toolContext.toProcess) {
      if (tool.type === "function") this.addChatTool({ type: "function", function: { ...tool } });
      else if (tool.type === "mcp") yield* this.listServer(tool);
      else if (this.deps.builtin && tool.type === "file_search") this.addChatTool(knowledgeSearchChatTool());
      else if (this.deps.builtin && tool.type !== "file_search") this.addChatTool(this.deps.builtin.webSearch.chatTool());
      else throw new InvalidValueError(`Llama Stack OpenAI Responses in the embedded stack does not yet support tool type: ${tool.type}`);
    }
  }

  private addChatTool(tool: ChatTool): void {
    this.chatTools ??= [];
    this.chatTools.push(tool);
  }

  private async *listServer(server: McpTool): AsyncGenerator<StreamEvent> {
    yield this.events.marker("response.mcp_list_tools.in_progress");
    const allowed = Array.isArray(server.allowed_tools) ? server.allowed_tools : (server.allowed_tools?.tool_names ?? null);
    const listId = this.deps.mintId("mcp_list_");
    const listed = await this.deps.telemetry.span(
      STREAMING_SCOPE,
      "list_mcp_tools",
      { server_label: server.server_label, server_url: server.server_url, mcp_list_tools_id: listId },
      () => listServerTools(server, this.deps.telemetry.instrumentFetch(stackBoundFetch)),
    );
    const listing: McpListToolsItem = { id: listId, type: "mcp_list_tools", server_label: server.server_label, tools: [] };
    for (const tool of listed) {
      if (allowed?.length && !allowed.includes(tool.name)) continue;
      this.addChatTool(chatToolFromDefinition(tool.name, tool.description, tool.inputSchema));
      if (this.mcpTools.has(tool.name)) {
        throw new InvalidValueError(`Duplicate tool name ${tool.name} found for server ${server.server_label}`);
      }
      this.mcpTools.set(tool.name, server);
      const schema = tool.inputSchema && Object.keys(tool.inputSchema).length ? tool.inputSchema : { type: "object", properties: {}, required: [] };
      listing.tools.push({ input_schema: schema, name: tool.name, description: tool.description ?? null });
    }
    yield* this.addListing(listing);
  }

  private *addListing(listing: McpListToolsItem): Generator<StreamEvent> {
    this.output.push(listing);
    yield this.events.outputItem("added", { ...listing, tools: [] }, this.output.length - 1);
    yield this.events.marker("response.mcp_list_tools.completed");
    yield this.events.outputItem("done", listing, this.output.length - 1);
  }

  /** MCP calls the stack runs itself; each result goes back to the model as a tool message. */
  private async *runServerCalls(calls: ChatToolCall[], turn: TurnResult, next: ChatMessage[]): AsyncGenerator<StreamEvent> {
    for (const call of calls) {
      if (this.s.maxToolCalls !== null && this.builtinCalls >= this.s.maxToolCalls) {
        next.push({
          role: "tool",
          content: `Tool call skipped: maximum tool calls limit (${this.s.maxToolCalls}) reached.`,
          tool_call_id: call.id,
        });
        continue;
      }
      const itemId = turn.itemIdByCallId.get(call.id) ?? this.deps.mintId("tc_");
      const server = this.mcpTools.get(call.function.name);
      if (!server) {
        yield* this.runBuiltinCall(call, itemId, next);
        this.builtinCalls += 1;
        continue;
      }
      const item: McpCallItem = {
        id: itemId,
        type: "mcp_call",
        arguments: "",
        name: call.function.name,
        server_label: server.server_label,
        error: null,
        output: null,
      };
      yield this.events.outputItem("added", item, this.output.length);
      const args = call.function.arguments ? (JSON.parse(call.function.arguments) as JsonObject) : {};
      yield this.events.mcpCallInProgress(itemId, this.output.length);
      let invocation: McpInvocation | null = null;
      let failure: unknown = null;
      try {
        invocation = await this.deps.telemetry.span(
          TOOL_EXECUTOR_SCOPE,
          "invoke_mcp_tool",
          { server_label: server.server_label, server_url: server.server_url, tool_name: call.function.name },
          () => invokeServerTool(server, call.function.name, args, this.deps.telemetry.instrumentFetch(stackBoundFetch)),
        );
      } catch (err) {
        failure = err;
      }
      const failed = failure !== null || (invocation?.errorCode ?? 0) > 0;
      yield this.events.marker(failed ? "response.mcp_call.failed" : "response.mcp_call.completed");

      const done: McpCallItem = { ...item, arguments: call.function.arguments };
      if (failure !== null) done.error = failure instanceof Error ? failure.message : String(failure);
      else if (invocation && invocation.errorCode > 0) done.error = `Error (code ${invocation.errorCode}): None`;
      else if (invocation?.content.length) done.output = invocationText(invocation);
      this.output.push(done);
      yield this.events.outputItem("done", done, this.output.length - 1);

      const content = invocation?.content.length
        ? toolMessageContent(invocation)
        : failure !== null
          ? done.error
          : "Tool execution failed";
      next.push({ role: "tool", content, tool_call_id: call.id });
      this.builtinCalls += 1;
    }
  }

  /** A web_search or knowledge_search call: searching events, its output item and the tool message. */
  private async *runBuiltinCall(call: ChatToolCall, itemId: string, next: ChatMessage[]): AsyncGenerator<StreamEvent> {
    const builtin = this.deps.builtin;
    const name = call.function.name;
    if (!builtin || (name !== WEB_SEARCH_TOOL && name !== KNOWLEDGE_SEARCH_TOOL)) {
      throw new InvalidValueError(`Unsupported tool call: ${name}`);
    }
    const kind = name === WEB_SEARCH_TOOL ? "web_search_call" : "file_search_call";
    const index = this.output.length;
    const started: WebSearchCallItem | FileSearchCallItem =
      kind === "web_search_call"
        ? { id: itemId, status: "in_progress", type: "web_search_call" }
        : { id: itemId, queries: [call.function.arguments], status: "in_progress", type: "file_search_call", results: null };
    yield this.events.outputItem("added", started, index);
    yield this.events.toolCallProgress(kind, "in_progress", itemId, index);
    yield this.events.toolCallProgress(kind, "searching", itemId, index);

    const args = call.function.arguments ? (JSON.parse(call.function.arguments) as JsonObject) : {};
    const query = typeof args.query === "string" ? args.query : "";
    let content: string | JsonObject[] | null = null;
    let failure: unknown = null;
    let failed = false;
    let done: WebSearchCallItem | FileSearchCallItem;
    if (kind === "web_search_call") {
      try {
        const result = await this.deps.telemetry.span(TOOL_EXECUTOR_SCOPE, "invoke_tool", { tool_name: name }, () => builtin.webSearch.invoke(args));
        content = result.content || null;
        failed = (result.error_code ?? 0) > 0 || Boolean(result.error_message);
      } catch (err) {
        failure = err;
        failed = true;
      }
      done = { id: itemId, status: failed ? "failed" : "completed", type: "web_search_call" };
    } else {
      const tool = this.s.tools.find((t): t is FileSearchTool => t.type === "file_search");
      let results: FileSearchCallItem["results"] = null;
      if (tool) {
        try {
          const outcome = await this.deps.telemetry.span(TOOL_EXECUTOR_SCOPE, "knowledge_search", {}, () => knowledgeSearch(builtin.vectorStores, tool, query));
          content = outcome.content;
          results = outcome.results as unknown as JsonObject[];
          for (const [fileId, filename] of outcome.citationFiles) this.citationFiles.set(fileId, filename);
        } catch (err) {
          failure = err;
          failed = true;
        }
      }
      done = { id: itemId, queries: [query], status: failed ? "failed" : "completed", type: "file_search_call", results };
    }
    yield this.events.toolCallProgress(kind, "completed", itemId, index);
    this.output.push(done);
    yield this.events.outputItem("done", done, this.output.length - 1);
    const message = content ?? (failure !== null ? (failure instanceof Error ? failure.message : String(failure)) : "Tool execution failed");
    next.push({ role: "tool", content: message, tool_call_id: call.id });
  }

  private *recordFunctionCalls(calls: ChatToolCall[], turn: TurnResult): Generator<StreamEvent> {
    for (const call of calls) {
      const item: OutputItem = {
        call_id: call.id,
        name: call.function.name,
        arguments: call.function.arguments,
        type: "function_call",
        id: turn.itemIdByCallId.get(call.id) ?? this.deps.mintId("fc_"),
        status: "completed",
      };
      this.output.push(item);
      yield this.events.outputItem("done", item, this.output.length - 1);
    }
  }
}
