/**
 * Upstream's fixtures/test_cases.py tables: each case keeps its pytest id. Tools are upstream's dicts
 * as sent (no SDK defaults); MCP tools carry a placeholder URL the test replaces with its server's.
 */
import type { UpstreamCase } from "@llama-stack-tests/stack";

export type Tool = Record<string, unknown> & { type: string };

export interface ResponsesCase {
  input: string | readonly unknown[];
  expected: string;
  tools?: readonly Tool[];
  stream?: boolean;
}

/** One turn: its input and the text its answer must contain. */
export type Turn = readonly [input: string | readonly unknown[], expected: string];

export const MCP_URL_PLACEHOLDER = "<FILLED_BY_TEST_RUNNER>";

const LLAMA_IMAGE_URL = "https://upload.wikimedia.org/wikipedia/commons/f/f7/Llamas%2C_Vernagt-Stausee%2C_Italy.jpg";
const LOCAL_MCP: Tool = { type: "mcp", server_label: "localmcp", server_url: MCP_URL_PLACEHOLDER };

export const BASIC_CASES: UpstreamCase<ResponsesCase>[] = [
  { id: "earth", value: { input: "Which planet do humans live on?", expected: "earth" } },
  { id: "saturn", value: { input: "Which planet has rings around it with a name starting with letter S?", expected: "saturn" } },
];

export const MULTI_TURN_CASES: UpstreamCase<{ turns: Turn[] }>[] = [
  {
    id: "earth",
    value: {
      turns: [
        ["Which planet do humans live on?", "earth"],
        ["What is the name of the planet from your previous response?", "earth"],
      ],
    },
  },
];

export const WEB_SEARCH_CASES: UpstreamCase<ResponsesCase>[] = [
  {
    id: "llama_experts",
    value: {
      input: "How many experts does the Llama 4 Maverick model have?",
      tools: [{ type: "web_search", search_context_size: "low" }],
      expected: "128",
    },
  },
  {
    id: "web_search_2025_08_26_type",
    value: { input: "What is the latest version of Python?", tools: [{ type: "web_search_2025_08_26" }], expected: "python" },
  },
];

export interface FileSearchCase extends ResponsesCase {
  /** Text written to a file of the test's own. */
  fileContent?: string;
  /** A file under upstream's responses/fixtures/. */
  filePath?: string;
}

export const FILE_SEARCH_CASES: UpstreamCase<FileSearchCase>[] = [
  {
    id: "llama_experts",
    value: {
      input: "How many experts does the Llama 4 Maverick model have?",
      tools: [{ type: "file_search" }],
      expected: "128",
      fileContent: "Llama 4 Maverick has 128 experts",
    },
  },
  {
    id: "llama_experts_pdf",
    value: {
      input: "How many experts does the Llama 4 Maverick model have?",
      tools: [{ type: "file_search" }],
      expected: "128",
      filePath: "pdfs/llama_stack_and_models.pdf",
    },
  },
];

export const MCP_TOOL_CASES: UpstreamCase<ResponsesCase>[] = [
  {
    id: "boiling_point_tool",
    value: { input: "What is the boiling point of myawesomeliquid in Celsius?", tools: [LOCAL_MCP], expected: "Hello, world!" },
  },
];

export const GET_WEATHER_LOCATION_TOOL: Tool = {
  type: "function",
  name: "get_weather",
  description: "Get current temperature for a given location.",
  parameters: {
    additionalProperties: false,
    properties: { location: { description: "City and country e.g. Bogotá, Colombia", type: "string" } },
    required: ["location"],
    type: "object",
  },
};

export const CUSTOM_TOOL_CASES: UpstreamCase<ResponsesCase>[] = [
  { id: "sf_weather", value: { input: "What's the weather like in San Francisco?", tools: [GET_WEATHER_LOCATION_TOOL], expected: "" } },
];

export const IMAGE_CASES: UpstreamCase<ResponsesCase>[] = [
  {
    id: "llama_image",
    value: {
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "Identify the type of animal in this image." },
            { type: "input_image", image_url: LLAMA_IMAGE_URL },
          ],
        },
      ],
      expected: "llama",
    },
  },
];

export const MULTI_TURN_IMAGE_CASES: UpstreamCase<{ turns: Turn[] }>[] = [
  {
    id: "llama_image_understanding",
    value: {
      turns: [
        [
          [
            {
              role: "user",
              content: [
                {
                  type: "input_text",
                  text: "What type of animal is in this image? Please respond with a single word that starts with the letter 'L'.",
                },
                { type: "input_image", image_url: LLAMA_IMAGE_URL },
              ],
            },
          ],
          "llama",
        ],
        ["What country do you find this animal primarily in? What continent?", "south america"],
      ],
    },
  },
];

export const MULTI_TURN_TOOL_CASES: UpstreamCase<ResponsesCase>[] = [
  {
    id: "user_file_access_check",
    value: {
      input:
        "I need to check if user 'alice' can access the file 'document.txt'. First, get alice's user ID, then check if that user ID can access the file 'document.txt'. Do this as a series of steps, where each step is a separate message. Return only one tool call per step. Summarize the final result with a single 'yes' or 'no' response.",
      tools: [LOCAL_MCP],
      expected: "yes",
    },
  },
  {
    id: "experiment_results_lookup",
    value: {
      input:
        "I need to get the results for the 'boiling_point' experiment. First, get the experiment ID for 'boiling_point', then use that ID to get the experiment results. Tell me the boiling point in Celsius.",
      tools: [LOCAL_MCP],
      expected: "100°C",
    },
  },
];

export const MULTI_TURN_TOOL_STREAMING_CASES: UpstreamCase<ResponsesCase>[] = [
  {
    id: "user_permissions_workflow",
    value: {
      input:
        "Help me with this security check: First, get the user ID for 'charlie', then get the permissions for that user ID, and finally check if that user can access 'secret_file.txt'. Stream your progress as you work through each step. Return only one tool call per step. Summarize the final result with a single 'yes' or 'no' response.",
      tools: [LOCAL_MCP],
      expected: "no",
      stream: true,
    },
  },
  {
    id: "experiment_analysis_streaming",
    value: {
      input:
        "I need a complete analysis: First, get the experiment ID for 'chemical_reaction', then get the results for that experiment, and tell me if the yield was above 80%. Return only one tool call per step.  Please stream your analysis process.",
      tools: [LOCAL_MCP],
      expected: "85%",
      stream: true,
    },
  },
];

/** Upstream's setup_mcp_tools: a copy of the tools with the placeholder URL replaced by the server's. */
export function withMcpUrl(tools: readonly Tool[], serverUrl: string): Tool[] {
  return tools.map((tool) => (tool.type === "mcp" && tool.server_url === MCP_URL_PLACEHOLDER ? { ...tool, server_url: serverUrl } : { ...tool }));
}
