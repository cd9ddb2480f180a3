/**
 * The tools a response runs inside the stack besides MCP (upstream's ToolExecutor): `file_search`
 * offered to the model as `knowledge_search` and answered from the stack's vector stores, and
 * `web_search` answered by the tool runtime's web search provider.
 */
import { InvalidValueError } from "../../server/errors.js";
import type { JsonObject } from "../../server/types.js";
import type { ToolGroupRegistry } from "../tool_runtime/registry.js";
import { invokeWebSearch, TAVILY_PROVIDER_TYPE, webSearchTools, type ToolInvocationResult } from "../tool_runtime/web-search.js";
import { pyRepr } from "../vector_io/py-repr.js";
import type { SearchParams } from "../vector_io/service.js";
import type { VectorStoreSearchPage, VectorStoreSearchResult } from "../vector_io/types.js";
import { chatToolFromDefinition } from "./tool-context.js";
import type { ChatTool, FileSearchTool } from "./types.js";

export const WEB_SEARCH_TOOL = "web_search";
export const KNOWLEDGE_SEARCH_TOOL = "knowledge_search";

/** What file_search needs from the vector stores service. */
export interface VectorStoreSearch {
  search(storeId: string, params: SearchParams): Promise<VectorStoreSearchPage>;
}

/** The tool runtime's `web_search`: its definition and one invocation. */
export interface WebSearchRuntime {
  chatTool(): ChatTool;
  invoke(kwargs: JsonObject): Promise<ToolInvocationResult>;
}

export interface BuiltinToolDeps {
  vectorStores: VectorStoreSearch;
  webSearch: WebSearchRuntime;
}

/** One file_search result as the response's file_search_call item reports it. */
export interface FileSearchResult {
  attributes: JsonObject;
  file_id: string;
  filename: string;
  score: number;
  text: string;
}

export interface KnowledgeSearchOutcome {
  /** Text parts of the tool message the model reads. */
  content: JsonObject[];
  results: FileSearchResult[];
  /** file id -> filename, for the citation annotations of the final message. */
  citationFiles: Map<string, string>;
}

/** upstream's builtin::rag `knowledge_search` definition, which file_search is offered as. */
export function knowledgeSearchChatTool(): ChatTool {
  return chatToolFromDefinition(KNOWLEDGE_SEARCH_TOOL, "Search for information in a database.", {
    type: "object",
    properties: {
      query: { type: "string", description: "The query to search for. Can be a natural language sentence or keywords." },
    },
    required: ["query"],
  });
}

/** The web search tool of the first tool group served by the Tavily runtime. */
export function webSearchRuntime(groups: ToolGroupRegistry): WebSearchRuntime {
  const provider = () => {
    for (const group of groups.list()) {
      const config = groups.provider(group.provider_id);
      if (config?.provider_type === TAVILY_PROVIDER_TYPE) return { group, config };
    }
    throw new InvalidValueError(`Tool ${WEB_SEARCH_TOOL} not found: no tool group is served by ${TAVILY_PROVIDER_TYPE}`);
  };
  return {
    chatTool() {
      const tool = webSearchTools(provider().group.identifier)[0]!;
      return chatToolFromDefinition(tool.name, tool.description, tool.input_schema);
    },
    invoke: (kwargs) => invokeWebSearch(provider().config.config, kwargs),
  };
}

/** Python's str() of a float: pydantic stores search attributes and scores as floats. */
function pyFloat(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1e16 ? `${n}.0` : pyRepr(n);
}

function attributesRepr(attributes: Record<string, unknown>): string {
  const entries = Object.entries(attributes).map(([k, v]) => `${pyRepr(k)}: ${typeof v === "number" ? pyFloat(v) : pyRepr(v)}`);
  return `{${entries.join(", ")}}`;
}

function chunkText(result: VectorStoreSearchResult): string {
  return result.content[0]?.text ?? "";
}

function documentId(result: VectorStoreSearchResult): string | null {
  if (result.file_id) return result.file_id;
  const id = result.attributes?.document_id;
  return typeof id === "string" ? id : null;
}

/** Searches every store the tool names (a failing store contributes nothing) and formats the hits as upstream. */
export async function knowledgeSearch(vectorStores: VectorStoreSearch, tool: FileSearchTool, query: string): Promise<KnowledgeSearchOutcome> {
  const pages = await Promise.all(
    tool.vector_store_ids.map((id) =>
      vectorStores
        .search(id, {
          query,
          filters: tool.filters,
          max_num_results: tool.max_num_results,
          ranking_options: tool.ranking_options as SearchParams["ranking_options"],
          rewrite_query: false,
        })
        .then((page) => page.data)
        .catch(() => [] as VectorStoreSearchResult[]),
    ),
  );
  const hits = pages.flat();

  const text = (t: string): JsonObject => ({ type: "text", text: t });
  const content: JsonObject[] = [
    text(`knowledge_search tool found ${hits.length} chunks:\nBEGIN of knowledge_search tool results.\n`),
  ];
  const cited = new Set<string | null>();
  for (const [i, hit] of hits.entries()) {
    const fileId = documentId(hit);
    let metadata = `document_id: ${fileId ?? "None"}, score: ${pyFloat(hit.score)}`;
    if (hit.attributes && Object.keys(hit.attributes).length) metadata += `, attributes: ${attributesRepr(hit.attributes)}`;
    content.push(text(`[${i + 1}] ${metadata} (cite as <|${fileId ?? "None"}|>)\n${chunkText(hit)}\n`));
    cited.add(fileId);
  }
  content.push(text("END of knowledge_search tool results.\n"));
  const citationInstruction = cited.size
    ? " Cite sources immediately at the end of sentences before punctuation, using `<|file-id|>` format (e.g., 'This is a fact <|file-Cn3MSNn72ENTiiq11Qda4A|>.'). " +
      "Do not add extra punctuation. Use only the file IDs provided (do not invent new ones)."
    : "";
  content.push(
    text(
      `The above results were retrieved to help answer the user's query: "${query}". Use them as supporting information only in answering this query.${citationInstruction}\n`,
    ),
  );

  const citationFiles = new Map<string, string>();
  for (const hit of hits) {
    const filename = hit.filename || (typeof hit.attributes?.filename === "string" ? hit.attributes.filename : "") || "unknown";
    citationFiles.set(documentId(hit) ?? "None", filename);
  }
  // Upstream reports the document id as the filename and leaves attributes out.
  const results = hits.map((hit) => ({ attributes: {}, file_id: hit.file_id, filename: hit.file_id, score: hit.score, text: chunkText(hit) }));
  return { content, results, citationFiles };
}

/** Upstream's citation extraction: `<|file-…|>` markers (and one space before each) become file_citation annotations. */
export function extractCitations(text: string, citationFiles: Map<string, string>): { text: string; annotations: JsonObject[] } {
  const annotations: JsonObject[] = [];
  let cleaned = "";
  let last = 0;
  for (const m of text.matchAll(/<\|(file-[A-Za-z0-9_-]+)\|>/g)) {
    let prefix = text.slice(last, m.index);
    if (prefix.endsWith(" ")) prefix = prefix.slice(0, -1);
    cleaned += prefix;
    const fileId = m[1]!;
    const filename = citationFiles.get(fileId);
    if (filename !== undefined) annotations.push({ type: "file_citation", file_id: fileId, filename, index: [...cleaned].length });
    last = (m.index ?? 0) + m[0].length;
  }
  cleaned += text.slice(last);
  return { text: cleaned, annotations };
}
