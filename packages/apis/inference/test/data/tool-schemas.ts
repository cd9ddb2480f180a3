/** Tool definitions of upstream's test_tools_with_schemas.py, one per test, exact as sent. */
import type OpenAI from "openai";

type Tool = OpenAI.Chat.ChatCompletionFunctionTool;

export interface ToolSchemaCase {
  prompt: string;
  tools: Tool[];
}

export const SIMPLE_TOOL_CALL: ToolSchemaCase = {
  prompt: "What's the weather in San Francisco?",
  tools: [
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Get weather for a location",
        parameters: {
          type: "object",
          properties: { location: { type: "string", description: "City name" } },
          required: ["location"],
        },
      },
    },
  ],
};

/** `$ref` into `$defs`: the stack must pass the schema through whole. */
export const COMPLEX_SCHEMA_TOOL_CALL: ToolSchemaCase = {
  prompt: "Book a flight from SFO to JFK for John Doe",
  tools: [
    {
      type: "function",
      function: {
        name: "book_flight",
        description: "Book a flight",
        parameters: {
          type: "object",
          properties: {
            flight: { $ref: "#/$defs/FlightInfo" },
            passenger: { $ref: "#/$defs/Passenger" },
          },
          required: ["flight", "passenger"],
          $defs: {
            FlightInfo: {
              type: "object",
              properties: {
                from: { type: "string" },
                to: { type: "string" },
                date: { type: "string", format: "date" },
              },
            },
            Passenger: {
              type: "object",
              properties: { name: { type: "string" }, age: { type: "integer" } },
            },
          },
        },
      },
    },
  ],
};

export const OPENAI_WEATHER_TOOL_CALL: ToolSchemaCase = {
  prompt: "What's the weather in Tokyo?",
  tools: [
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Get weather information",
        parameters: {
          type: "object",
          properties: { location: { type: "string", description: "City name" } },
          required: ["location"],
        },
      },
    },
  ],
};

export const OPENAI_COMPLEX_SCHEMA_TOOL_CALL: ToolSchemaCase = {
  prompt: "Process this data",
  tools: [
    {
      type: "function",
      function: {
        name: "process_data",
        description: "Process structured data",
        parameters: {
          type: "object",
          properties: { data: { $ref: "#/$defs/DataObject" } },
          $defs: {
            DataObject: {
              type: "object",
              properties: { values: { type: "array", items: { type: "number" } } },
            },
          },
        },
      },
    },
  ],
};

export const STREAMING_TOOL_CALL: ToolSchemaCase = {
  prompt: "What time is it in UTC?",
  tools: [
    {
      type: "function",
      function: {
        name: "get_time",
        description: "Get current time",
        parameters: { type: "object", properties: { timezone: { type: "string" } } },
      },
    },
  ],
};

export const NO_ARGS_TOOL_CALL: ToolSchemaCase = {
  prompt: "Call the no args tool",
  tools: [
    {
      type: "function",
      function: {
        name: "no_args_tool",
        description: "Tool with no arguments",
        parameters: { type: "object", properties: {} },
      },
    },
  ],
};

export const MULTIPLE_TOOLS_CALL: ToolSchemaCase = {
  prompt: "Use one of the available tools",
  tools: [
    {
      type: "function",
      function: { name: "simple", parameters: { type: "object", properties: { x: { type: "string" } } } },
    },
    {
      type: "function",
      function: {
        name: "complex",
        parameters: {
          type: "object",
          properties: { data: { $ref: "#/$defs/Complex" } },
          $defs: {
            Complex: {
              type: "object",
              properties: { nested: { type: "array", items: { type: "number" } } },
            },
          },
        },
      },
    },
    {
      type: "function",
      function: { name: "with_output", parameters: { type: "object", properties: { input: { type: "string" } } } },
    },
  ],
};
