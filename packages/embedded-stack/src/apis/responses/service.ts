/**
 * The Responses API (upstream's OpenAIResponsesImpl): builds a response's chat history from its
 * input, a previous response or a conversation, runs the orchestrator, and on completion stores the
 * response and appends its items to the conversation. Non-streaming requests drain the same stream.
 */
import { randomUUID } from "node:crypto";
import { HttpError, InvalidValueError } from "../../server/errors.js";
import type { InferenceRouter, JsonObject } from "../../server/types.js";
import { conversationItemSchema, type ConversationItem } from "../conversations/items.js";
import type { ConversationsService } from "../conversations/service.js";
import type { PromptsService } from "../prompts/service.js";
import type { BuiltinToolDeps } from "./builtin-tools.js";
import { inputToChatMessages } from "./chat-messages.js";
import { guardrailCheck, type GuardrailDeps } from "./guardrails.js";
import { ResponseOrchestrator } from "./orchestrator.js";
import { prependPrompt } from "./prompt.js";
import type { CreateResponseRequest } from "./schemas.js";
import type { ListInputItemsOptions, ListResponsesOptions, ResponsesStore } from "./store.js";
import { ToolContext } from "./tool-context.js";
import type {
  ChatMessage,
  InputItem,
  McpApprovalRequestItem,
  McpApprovalResponseItem,
  MessageItem,
  OutputItem,
  ResponseObject,
  StreamEvent,
  TextConfig,
} from "./types.js";
import type { StackTelemetry } from "../../telemetry/index.js";

export interface ResponsesServiceDeps {
  store: ResponsesStore;
  inference: InferenceRouter;
  conversations: ConversationsService;
  prompts: PromptsService;
  guardrails: Omit<GuardrailDeps, "inference">;
  /** file_search over the vector stores, web_search through the tool runtime. */
  builtin: BuiltinToolDeps | null;
  mintId: (kind: string, fallback: () => string) => string;
  telemetry: StackTelemetry;
}

class NotImplementedError extends HttpError {
  constructor(message: string) {
    super(501, `Not implemented: ${message}`);
    this.name = "NotImplementedError";
  }
}

/** Upstream raises RuntimeError for a failed response, which its server answers with a generic 500. */
class ResponseFailedError extends Error {
  constructor(message: string) {
    super(`OpenAI response failed: ${message}`);
    this.name = "ResponseFailedError";
  }
}

interface PreparedInput {
  /** What the response stores as its input items. */
  input: string | InputItem[];
  messages: ChatMessage[];
  toolContext: ToolContext;
}

const DEFAULT_TEXT: TextConfig = { format: { type: "text" } };

function userMessage(text: string, asParts: boolean): MessageItem {
  return { content: asParts ? [{ text, type: "input_text" }] : text, role: "user", type: "message", id: null, status: null };
}

/** Chat response_format for the text config; plain text sends none. */
function responseFormat(text: TextConfig): JsonObject | null {
  const format = text.format;
  if (!format || format.type === "text") return null;
  if (format.type === "json_object") return { type: "json_object" };
  if (!format.name) throw new InvalidValueError("json_schema format requires a name");
  return { type: "json_schema", json_schema: { name: format.name, schema: format.schema ?? null } };
}

export class ResponsesService {
  constructor(private readonly deps: ResponsesServiceDeps) {}

  private mint(prefix: string): string {
    return this.deps.mintId(prefix.replace(/_$/, ""), () => `${prefix}${randomUUID()}`);
  }

  /** Validates the request, then returns the response's event stream (nothing runs until it is read). */
  create(req: CreateResponseRequest): AsyncGenerator<StreamEvent> {
    for (const tool of req.tools ?? []) {
      if (tool.type !== "mcp") continue;
      if (Object.keys(tool.headers ?? {}).some((k) => k.toLowerCase() === "authorization")) {
        throw new InvalidValueError("Authorization header cannot be passed via 'headers'. Please use the 'authorization' parameter instead.");
      }
    }
    const guardrailIds = req.guardrails ?? [];
    const guard = guardrailIds.length ? guardrailCheck({ ...this.deps.guardrails, inference: this.deps.inference }, guardrailIds) : null;
    if (req.conversation !== null) {
      if (req.previous_response_id !== null) {
        throw new InvalidValueError(
          "Mutually exclusive parameters: 'previous_response_id' and 'conversation'. Ensure you are only providing one of these parameters.",
        );
      }
      if (!req.conversation.startsWith("conv_")) {
        throw new InvalidValueError(`Invalid conversation ID '${req.conversation}'. Expected an ID that begins with 'conv_'.`);
      }
    }
    if (req.max_tool_calls !== null && req.max_tool_calls < 1) {
      throw new InvalidValueError(`Invalid max_tool_calls=${req.max_tool_calls}; should be >= 1`);
    }
    return this.stream(req, guard);
  }

  /** The final response of a drained stream; a failed one is a server error, as upstream. */
  async createAndWait(req: CreateResponseRequest): Promise<ResponseObject> {
    let final: ResponseObject | null = null;
    for await (const event of this.create(req)) {
      if (event.type === "response.completed" || event.type === "response.incomplete") {
        if (final) throw new InvalidValueError("The response stream produced multiple terminal responses!");
        final = event.response as ResponseObject;
      } else if (event.type === "response.failed") {
        const error = (event.response as ResponseObject).error;
        throw new ResponseFailedError(error?.message ?? "Response stream failed without error details");
      }
    }
    if (!final) throw new InvalidValueError("The response stream never reached a terminal state");
    return final;
  }

  private async *stream(req: CreateResponseRequest, guard: ReturnType<typeof guardrailCheck> | null): AsyncGenerator<StreamEvent> {
    const prepared = this.prepareInput(req);
    const messages = prepared.messages;
    if (req.instructions) messages.unshift({ role: "system", content: req.instructions });
    prependPrompt(messages, req.prompt, this.deps.prompts);
    const text = (req.text ?? DEFAULT_TEXT) as TextConfig;
    const items = typeof prepared.input === "string" ? [] : prepared.input;
    const orchestrator = new ResponseOrchestrator(
      { inference: this.deps.inference, guard, builtin: this.deps.builtin, mintId: (prefix) => this.mint(prefix), telemetry: this.deps.telemetry },
      {
        responseId: this.mint("resp_"),
        createdAt: Math.floor(Date.now() / 1000),
        model: req.model,
        messages,
        tools: req.tools ?? [],
        toolContext: prepared.toolContext,
        toolChoice: req.tool_choice,
        temperature: req.temperature,
        responseFormat: responseFormat(text),
        text,
        instructions: req.instructions,
        prompt: req.prompt as JsonObject | null,
        parallelToolCalls: req.parallel_tool_calls,
        maxToolCalls: req.max_tool_calls,
        maxInferIters: req.max_infer_iters ?? 10,
        approvalRequests: items.filter((i): i is McpApprovalRequestItem => i.type === "mcp_approval_request"),
        approvalResponses: new Map(
          items
            .filter((i): i is McpApprovalResponseItem => i.type === "mcp_approval_response")
            .map((i) => [i.approval_request_id, i]),
        ),
      },
    );
    const outputItems: OutputItem[] = [];
    let failed = false;
    for await (const event of orchestrator.run()) {
      if (event.type === "response.failed") failed = true;
      if (event.type === "response.output_item.done") outputItems.push(event.item as OutputItem);
      // Stored before the terminal event is sent, so a client that stops reading still finds it.
      if ((event.type === "response.completed" || event.type === "response.incomplete") && !failed) {
        const history = orchestrator.finalMessages.filter((m) => m.role !== "system");
        if (req.store) this.save(event.response as ResponseObject, prepared.input, history);
        if (req.conversation) {
          this.syncConversation(req.conversation, req.input, outputItems);
          this.deps.store.saveConversationMessages(req.conversation, history);
        }
      }
      yield event;
    }
  }

  private prepareInput(req: CreateResponseRequest): PreparedInput {
    const input = req.input as string | InputItem[];
    const toolContext = new ToolContext(req.tools ?? []);
    if (req.previous_response_id) {
      const previous = this.deps.store.get(req.previous_response_id);
      const all: InputItem[] = [...previous.input, ...previous.response.output, ...(typeof input === "string" ? [userMessage(input, false)] : input)];
      const messages = previous.messages.length
        ? [...previous.messages, ...inputToChatMessages(input, previous.messages)]
        : inputToChatMessages(all);
      toolContext.recoverFromPrevious(previous.response);
      return { input: all, messages, toolContext };
    }
    if (req.conversation) {
      const items = this.deps.conversations.listItems(req.conversation, { order: "asc" }).data as InputItem[];
      if (items.length === 0) return { input, messages: inputToChatMessages(input), toolContext };
      const stored = this.deps.store.conversationMessages(req.conversation) ?? [];
      const all = stored.length ? input : [...items, ...(typeof input === "string" ? [userMessage(input, true)] : input)];
      return { input: all, messages: [...stored, ...inputToChatMessages(all, stored)], toolContext };
    }
    return { input, messages: inputToChatMessages(input), toolContext };
  }

  /** A string input is stored as one user message with a fresh id; listed items keep theirs. */
  private save(response: ResponseObject, input: string | InputItem[], messages: ChatMessage[]): void {
    const items: InputItem[] =
      typeof input === "string" ? [{ ...userMessage(input, true), id: this.mint("msg_") }] : input;
    this.deps.store.save({ response, input: items, messages });
  }

  private syncConversation(conversationId: string, input: CreateResponseRequest["input"], output: OutputItem[]): void {
    const items: unknown[] = typeof input === "string" ? [{ role: "user", content: [{ type: "input_text", text: input }], type: "message" }] : [...input];
    items.push(...output);
    const validated = items.map((item) => conversationItemSchema.parse(item) as ConversationItem);
    this.deps.conversations.addItems(conversationId, validated);
  }

  get(id: string): ResponseObject {
    return this.deps.store.get(id).response;
  }

  list(opts: ListResponsesOptions) {
    return this.deps.store.list(opts);
  }

  delete(id: string) {
    return this.deps.store.delete(id);
  }

  listInputItems(id: string, opts: ListInputItemsOptions & { include?: string[] }) {
    // Upstream looks the response up first: an unknown id is a 400 whatever else was asked.
    const items = this.deps.store.listInputItems(id, opts);
    if (opts.include?.length) throw new NotImplementedError("Include is not supported yet");
    return items;
  }
}
