/** Classifies a replay miss by what differs from the closest recording of the same test. */
import type { MissCause } from "./model.js";

export interface MissFacts {
  endpoint: string;
  /** Endpoint of the closest recording, when there is one. */
  closestEndpoint: string | null;
  /** "body.path: recorded X → requested Y" lines (empty when no closest recording). */
  diff: string[];
  /** True when upstream has any recording for this test id. */
  testRecorded: boolean;
  /** False when the request body is unknown (a real server's record log), so there is nothing to diff. */
  bodyLogged?: boolean;
}

const MODEL_LIST = /(^|\/)(models|api\/tags)$/;
const ID_VALUE = /"(file|vs|batch|call|chatcmpl|resp|conv|msg|fc|toolu|cmpl)[-_][A-Za-z0-9_-]+"/;

function pathOf(line: string): string {
  return line.slice(0, line.indexOf(":"));
}

/** Every differing leaf shows an id-shaped value on at least one side. */
function onlyIdsDiffer(diff: string[]): boolean {
  return diff.length > 0 && diff.every((l) => ID_VALUE.test(l));
}

function causeOfPath(path: string, endpoint: string): MissCause {
  const top = path.split(/[.[]/)[1] ?? "";
  if (top === "messages" || top === "prompt" || top === "suffix") return "message-construction";
  if (top === "input") return endpoint.endsWith("/embeddings") ? "embedding-input" : "message-construction";
  if (top === "tools" || top === "tool_choice" || top === "parallel_tool_calls") return "tool-definitions";
  if (top === "response_format") return "response-format";
  if (top === "model") return "model-id";
  return "default-parameters";
}

const PRIORITY: readonly MissCause[] = ["model-id", "message-construction", "embedding-input", "tool-definitions", "response-format", "default-parameters"];

export function classifyMiss(facts: MissFacts): MissCause {
  if (MODEL_LIST.test(facts.endpoint)) return "model-list";
  if (!facts.testRecorded) return facts.endpoint.endsWith("/embeddings") ? "embeddings-never-recorded" : "test-not-recorded";
  if (facts.bodyLogged === false) return "request-not-logged";
  if (facts.closestEndpoint !== null && facts.closestEndpoint !== facts.endpoint) {
    return facts.endpoint.endsWith("/embeddings") ? "embeddings-never-recorded" : "endpoint";
  }
  if (onlyIdsDiffer(facts.diff)) return "id-allocation";
  const causes = new Set(facts.diff.map((l) => causeOfPath(pathOf(l), facts.endpoint)));
  return PRIORITY.find((c) => causes.has(c)) ?? "default-parameters";
}
