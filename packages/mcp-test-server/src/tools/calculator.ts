import { defineTool } from "../define-tool.js";
import { arithmetic } from "./json-schema.js";

/** The single `calculate` tool upstream's inference schema tests serve over MCP. */
export const calculate = defineTool<{ x: number; y: number; operation: string }>({
  name: "calculate",
  description: "",
  params: [
    { name: "x", type: "number" },
    { name: "y", type: "number" },
    { name: "operation", type: "string" },
  ],
  returns: "number",
  // Unknown operations give the integer 0, as upstream's `ops.get(operation, 0)` does.
  run: ({ x, y, operation }) => {
    const result = arithmetic(x, y, operation, ["add", "sub", "mul", "div"]);
    return result === undefined ? 0 : result;
  },
});

export const calculatorTools = [calculate];
