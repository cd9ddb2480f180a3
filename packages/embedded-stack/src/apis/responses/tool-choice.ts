/**
 * A response's `tool_choice` turned into what its chat requests send (upstream's _process_tool_choice,
 * llama-stack 0.4.0): a mode, a forced function, or a set of allowed tool names that filters the tools
 * of every turn while its mode applies to the first. A choice naming a tool the model is not offered
 * forces nothing (upstream logs a warning).
 */
import type { JsonObject } from "../../server/types.js";
import { WEB_SEARCH_TOOL } from "./builtin-tools.js";
import { WEB_SEARCH_TYPES, type ChatTool, type ToolChoice } from "./types.js";

export interface ChatToolChoice {
  /** `tool_choice` of the first chat request; null sends none. */
  toolChoice: string | JsonObject | null;
  /** Names of the chat tools every request offers; null offers them all. */
  allowedNames: Set<string> | null;
}

const NO_CHOICE: ChatToolChoice = { toolChoice: null, allowedNames: null };

/** A file_search choice names `file_search`, though the model is offered it as `knowledge_search`: it never matches. */
const FILE_SEARCH_CHOICE = "file_search";

const forced = (name: string): ChatToolChoice => ({ toolChoice: { type: "function", function: { name } }, allowedNames: null });
const allowed = (names: (string | undefined)[], mode: string): ChatToolChoice => ({
  toolChoice: mode,
  allowedNames: new Set(names.filter((n): n is string => n !== undefined)),
});

/**
 * Tool names of an MCP choice: the named tool if offered (else null); without a name, the tools listed
 * from the server (null for a server that listed none, but [] when no server listed any).
 */
function mcpToolNames(offered: string[], serverTools: Map<string, string[]>, label: string | undefined, name: string | null): string[] | null {
  if (name) return offered.includes(name) ? [name] : null;
  if (label && serverTools.size) {
    const names = serverTools.get(label) ?? [];
    return names.length ? names : null;
  }
  return [];
}

/** Names allowed by an `allowed_tools` choice; entries of unknown type are skipped, custom ones allow nothing. */
function allowedToolNames(tools: Record<string, string>[], offered: string[], serverTools: Map<string, string[]>): (string | undefined)[] {
  const names: (string | undefined)[] = [];
  for (const tool of tools) {
    // Upstream indexes the entry's type here and fails (a 500) on an entry without one.
    if (!("type" in tool)) throw new Error("tool_choice.tools has an entry without a 'type'");
    const type = tool.type;
    if (type === "function") names.push(tool.name);
    else if (type === "mcp") names.push(...(mcpToolNames(offered, serverTools, tool.server_label, null) ?? []));
    else if (type === "file_search") names.push(FILE_SEARCH_CHOICE);
    else if ((WEB_SEARCH_TYPES as readonly string[]).includes(type as string)) names.push(WEB_SEARCH_TOOL);
  }
  return names;
}

/**
 * @param chatTools the tools the model is offered (non-empty)
 * @param serverTools MCP server label -> names of the tools listed from it
 */
export function chatToolChoice(choice: ToolChoice, chatTools: ChatTool[], serverTools: Map<string, string[]>): ChatToolChoice {
  const offered = chatTools.map((tool) => tool.function.name as string);
  if (typeof choice === "string") {
    if (choice !== "required") return { toolChoice: choice, allowedNames: null };
    return offered.length ? allowed(offered, "required") : NO_CHOICE;
  }
  switch (choice.type) {
    case "allowed_tools":
      return allowed(allowedToolNames(choice.tools, offered, serverTools), choice.mode);
    case "function":
      return choice.name && !offered.includes(choice.name) ? NO_CHOICE : forced(choice.name);
    case "custom":
      if (choice.name && !offered.includes(choice.name)) return NO_CHOICE;
      return { toolChoice: { type: "custom", custom: { name: choice.name } }, allowedNames: null };
    case "file_search":
      return offered.includes(FILE_SEARCH_CHOICE) ? forced(FILE_SEARCH_CHOICE) : NO_CHOICE;
    case "mcp": {
      const names = mcpToolNames(offered, serverTools, choice.server_label, choice.name);
      if (!names) return NO_CHOICE;
      return choice.name ? forced(choice.name) : allowed(names, "required");
    }
    default:
      return offered.includes(WEB_SEARCH_TOOL) ? forced(WEB_SEARCH_TOOL) : NO_CHOICE;
  }
}
