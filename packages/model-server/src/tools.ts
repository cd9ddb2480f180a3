import { randomBytes } from "node:crypto";
import type { ChatModelFunctions } from "node-llama-cpp";
import { badRequest } from "./errors.js";
import { asObject, type Json } from "./validate.js";

export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: Json;
}

/** How the model must answer: free text, or JSON constrained by a schema. */
export type OutputPlan =
  | { kind: "text" }
  | { kind: "json"; schema: Json | null }
  | { kind: "tool"; tool: ToolDefinition }
  | { kind: "any-tool"; tools: ToolDefinition[] };

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

const EMPTY_PARAMETERS: Json = { type: "object", properties: {} };

export function readTools(body: Json): ToolDefinition[] {
  const tools = body.tools;
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw badRequest("tools", "'tools' must be an array of function tools.");
  return tools.map((raw, i) => {
    const t = asObject(raw, `tools[${i}]`);
    if (t.type !== "function") throw badRequest(`tools[${i}].type`, `'tools[${i}].type' must be "function".`);
    const fn = asObject(t.function, `tools[${i}].function`);
    if (typeof fn.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name)) {
      throw badRequest(`tools[${i}].function.name`, `'tools[${i}].function.name' must be 1-64 letters, digits, '_' or '-'.`);
    }
    const given = fn.parameters === undefined || fn.parameters === null ? {} : asObject(fn.parameters, `tools[${i}].function.parameters`);
    // Arguments are always a JSON object; `{}` would otherwise allow any value (even null).
    const parameters = given.type === undefined && given.$ref === undefined && given.oneOf === undefined && given.anyOf === undefined
      ? { ...EMPTY_PARAMETERS, ...given, type: "object" }
      : given;
    return { name: fn.name, description: typeof fn.description === "string" ? fn.description : undefined, parameters };
  });
}

/** Decides the output plan from tool_choice and response_format (tool_choice auto/none -> text). */
export function outputPlan(body: Json, tools: ToolDefinition[]): OutputPlan {
  const choice = body.tool_choice ?? "auto";
  if (tools.length > 0 && choice !== "auto" && choice !== "none") {
    if (choice === "required") return tools.length === 1 ? { kind: "tool", tool: tools[0]! } : { kind: "any-tool", tools };
    const named = asObject(choice, "tool_choice");
    const name = named.type === "function" && typeof named.function === "object" && named.function ? (named.function as Json).name : undefined;
    const tool = tools.find((t) => t.name === name);
    if (!tool) throw badRequest("tool_choice", `'tool_choice' names function '${String(name)}', which is not in 'tools'.`);
    return { kind: "tool", tool };
  }
  if ((typeof choice !== "string" || choice === "required") && tools.length === 0) {
    throw badRequest("tool_choice", "'tool_choice' forces a function call, which requires a non-empty 'tools' list.");
  }
  if (typeof choice === "string" && !["auto", "none", "required"].includes(choice)) {
    throw badRequest("tool_choice", "'tool_choice' must be \"auto\", \"none\", \"required\" or {type: \"function\", function: {name}}.");
  }
  return responseFormatPlan(body);
}

function responseFormatPlan(body: Json): OutputPlan {
  if (body.response_format === undefined || body.response_format === null) return { kind: "text" };
  const rf = asObject(body.response_format, "response_format");
  if (rf.type === "text") return { kind: "text" };
  if (rf.type === "json_object") return { kind: "json", schema: null };
  if (rf.type === "json_schema") {
    const js = asObject(rf.json_schema, "response_format.json_schema");
    return { kind: "json", schema: js.schema === undefined ? null : asObject(js.schema, "response_format.json_schema.schema") };
  }
  throw badRequest("response_format.type", "'response_format.type' must be \"text\", \"json_object\" or \"json_schema\".");
}

/** Grammar schema for a plan that forces JSON; null means any JSON object. */
export function planSchema(plan: OutputPlan): Json | null {
  switch (plan.kind) {
    case "text":
      return null;
    case "json":
      return plan.schema;
    case "tool":
      return plan.tool.parameters;
    case "any-tool":
      return {
        oneOf: plan.tools.map((t) => ({
          type: "object",
          properties: { name: { const: t.name }, arguments: t.parameters },
          required: ["name", "arguments"],
        })),
      };
  }
}

export function functionsForPrompt(tools: ToolDefinition[], body: Json): ChatModelFunctions | undefined {
  if (tools.length === 0 || body.tool_choice === "none") return undefined;
  return Object.fromEntries(tools.map((t) => [t.name, { description: t.description, params: t.parameters as never }]));
}

export function newToolCallId(): string {
  return `call_${randomBytes(12).toString("hex")}`;
}

/** Turns grammar-constrained output into OpenAI tool calls. */
export function toolCallsFrom(plan: OutputPlan, text: string): ToolCall[] {
  if (plan.kind === "tool") {
    return [{ id: newToolCallId(), type: "function", function: { name: plan.tool.name, arguments: text } }];
  }
  if (plan.kind === "any-tool") {
    const parsed = JSON.parse(text) as { name: string; arguments: unknown };
    return [{ id: newToolCallId(), type: "function", function: { name: parsed.name, arguments: JSON.stringify(parsed.arguments) } }];
  }
  return [];
}
