import { defineTool, pyDocstring } from "../define-tool.js";

/** The two tools upstream's MCP tests register by default. */
export const greetEveryone = defineTool<{ url: string }>({
  name: "greet_everyone",
  description: "",
  params: [{ name: "url", type: "string" }],
  returns: "string",
  run: () => "Hello, world!",
});

export const getBoilingPoint = defineTool<{ liquid_name: string; celsius: boolean }>({
  name: "get_boiling_point",
  description: pyDocstring(
    [
      "Returns the boiling point of a liquid in Celsius or Fahrenheit.",
      "",
      ":param liquid_name: The name of the liquid",
      ":param celsius: Whether to return the boiling point in Celsius",
      ":return: The boiling point of the liquid in Celcius or Fahrenheit",
    ].join("\n"),
  ),
  params: [
    { name: "liquid_name", type: "string" },
    { name: "celsius", type: "boolean", default: true },
  ],
  returns: "integer",
  // Only the made-up liquid has a known answer, so a model cannot guess it.
  run: ({ liquid_name, celsius }) => {
    if (liquid_name.toLowerCase() !== "myawesomeliquid") return -1;
    return celsius ? -100 : -212;
  },
});

export const defaultTools = [greetEveryone, getBoilingPoint];
