/** Rebuilds the chat completion a stream of chunks describes, to store it as upstream does. */
import type { JsonObject } from "../../server/types.js";

interface ChoiceAcc {
  content: string[];
  finishReason: string;
  toolCalls: Map<number, { id: string | null; type: string; name: string[]; args: string[] }>;
  logprobs: unknown[];
}

export function assembleStreamedCompletion(chunks: JsonObject[], modelId: string): JsonObject | null {
  const id = chunks.find((c) => c.id)?.id;
  if (!id) return null;
  const created = chunks.find((c) => c.created)?.created;
  const choices = new Map<number, ChoiceAcc>();
  for (const chunk of chunks) {
    for (const raw of (chunk.choices as JsonObject[] | undefined) ?? []) {
      const index = Number(raw.index ?? 0);
      let acc = choices.get(index);
      if (!acc) {
        acc = { content: [], finishReason: "stop", toolCalls: new Map(), logprobs: [] };
        choices.set(index, acc);
      }
      const delta = (raw.delta as JsonObject | undefined) ?? {};
      if (typeof delta.content === "string" && delta.content) acc.content.push(delta.content);
      for (const tc of (delta.tool_calls as JsonObject[] | undefined) ?? []) {
        const tcIndex = Number(tc.index ?? 0);
        let builder = acc.toolCalls.get(tcIndex);
        if (!builder) {
          builder = { id: null, type: "function", name: [], args: [] };
          acc.toolCalls.set(tcIndex, builder);
        }
        if (typeof tc.id === "string" && tc.id) builder.id = tc.id;
        if (typeof tc.type === "string" && tc.type) builder.type = tc.type;
        const fn = tc.function as JsonObject | undefined;
        if (typeof fn?.name === "string" && fn.name) builder.name.push(fn.name);
        if (typeof fn?.arguments === "string" && fn.arguments) builder.args.push(fn.arguments);
      }
      if (typeof raw.finish_reason === "string" && raw.finish_reason) acc.finishReason = raw.finish_reason;
      const lp = raw.logprobs as JsonObject | undefined;
      if (Array.isArray(lp?.content)) acc.logprobs.push(...lp.content);
    }
  }
  return {
    id,
    object: "chat.completion",
    created: created ?? Math.floor(Date.now() / 1000),
    model: modelId,
    choices: [...choices.entries()].map(([index, acc]) => {
      const toolCalls = [...acc.toolCalls.values()]
        .filter((b) => b.id)
        .map((b) => ({ id: b.id, type: b.type, function: { name: b.name.join(""), arguments: b.args.join("") } }));
      const content = acc.content.join("");
      return {
        finish_reason: acc.finishReason,
        index,
        message: { role: "assistant", content: content || null, tool_calls: toolCalls.length ? toolCalls : null },
        logprobs: acc.logprobs.length ? { content: acc.logprobs } : null,
      };
    }),
  };
}
