/**
 * Where spans depart from the OpenTelemetry GenAI and MCP semantic conventions. Upstream's telemetry
 * change says its own spans do not follow them yet, so each departure is a finding for the report,
 * never a failure; the list is computed from what the stack emitted, so it shrinks as stacks improve.
 */
import type { Span } from "@llama-stack-tests/otlp-receiver";
import type { TelemetryFinding } from "@llama-stack-tests/report";
import { attr } from "./spans.js";

interface Rule {
  /** Span names (exact, or a prefix ending in a space) the rule looks at. */
  spans: (span: Span) => boolean;
  convention: string;
  /** What the span emits instead, or undefined when it follows the convention. */
  departure: (span: Span) => string | undefined;
}

const named = (...names: string[]) => (span: Span) => names.some((n) => (n.endsWith(" ") ? span.name.startsWith(n) : span.name === n));
const absent = (name: string, instead?: string) => (span: Span) =>
  attr(span, name) === undefined ? (instead && attr(span, instead) !== undefined ? instead : "nothing") : undefined;

const RULES: Rule[] = [
  // https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/#execute-tool-span
  { spans: named("invoke_mcp_tool", "invoke_tool"), convention: "span name execute_tool {gen_ai.tool.name}", departure: (s) => (s.name.startsWith("execute_tool") ? undefined : `span name ${s.name}`) },
  { spans: named("invoke_mcp_tool", "invoke_tool"), convention: "gen_ai.operation.name = execute_tool", departure: absent("gen_ai.operation.name") },
  { spans: named("invoke_mcp_tool", "invoke_tool"), convention: "gen_ai.tool.name", departure: absent("gen_ai.tool.name", "tool_name") },
  { spans: named("invoke_mcp_tool", "invoke_tool"), convention: "gen_ai.tool.call.id", departure: absent("gen_ai.tool.call.id") },
  // https://opentelemetry.io/docs/specs/semconv/gen-ai/mcp/
  { spans: named("list_mcp_tools", "invoke_mcp_tool"), convention: "mcp.method.name", departure: absent("mcp.method.name") },
  { spans: named("list_mcp_tools", "invoke_mcp_tool"), convention: "url.full / server.address", departure: (s) => (attr(s, "url.full") === undefined && attr(s, "server.address") === undefined ? (attr(s, "server_url") !== undefined ? "server_url" : "nothing") : undefined) },
  { spans: named("knowledge_search"), convention: "span name execute_tool {gen_ai.tool.name}", departure: (s) => `span name ${s.name}, no attributes` },
  // Guardrails have no GenAI convention; the closest is an operation on the guard model with its input messages.
  { spans: named("run_shield "), convention: "gen_ai.operation.name", departure: absent("gen_ai.operation.name") },
  { spans: named("run_shield "), convention: "gen_ai.input.messages", departure: absent("gen_ai.input.messages", "llama_stack.safety.request.messages") },
  // https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/ (gen_ai.system was replaced by gen_ai.provider.name)
  { spans: named("chat ", "embeddings "), convention: "gen_ai.provider.name", departure: absent("gen_ai.provider.name", "gen_ai.system") },
];

export function conventionFindings(spans: readonly Span[]): TelemetryFinding[] {
  const findings: TelemetryFinding[] = [];
  for (const span of spans) {
    for (const rule of RULES) {
      if (!rule.spans(span)) continue;
      const observed = rule.departure(span);
      const name = span.name.split(" ")[0] ?? span.name;
      if (observed && !findings.some((f) => f.span === name && f.convention === rule.convention)) {
        findings.push({ span: name, convention: rule.convention, observed });
      }
    }
  }
  return findings;
}
