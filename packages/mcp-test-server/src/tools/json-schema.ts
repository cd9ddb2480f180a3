import { defineTool, pyDocstring } from "../define-tool.js";
import { PyFloat, type ToolValue } from "../types.js";

/** Tools with object / array-of-object inputs, from upstream's JSON-schema MCP tests. */

export const bookFlight = defineTool<{ flight: ToolValue; passengers: ToolValue[]; payment: ToolValue }>({
  name: "book_flight",
  description: pyDocstring(
    ["Book a flight with passenger and payment information.", "", "This tool uses JSON Schema $ref and $defs for type reuse."].join("\n"),
  ),
  params: [
    { name: "flight", type: "object" },
    { name: "passengers", type: "object[]" },
    { name: "payment", type: "object" },
  ],
  returns: "object",
  run: ({ flight, passengers, payment }) => ({ booking_id: "BK12345", flight, passengers, payment, status: "confirmed" }),
});

export const processOrder = defineTool<{ order_data: ToolValue }>({
  name: "process_order",
  description: pyDocstring(["Process an order with nested address information.", "", "Uses nested objects and $ref."].join("\n")),
  params: [{ name: "order_data", type: "object" }],
  returns: "object",
  run: ({ order_data }) => ({ order_id: "ORD789", status: "processing", data: order_data }),
});

export const flexibleContact = defineTool<{ contact_info: string }>({
  name: "flexible_contact",
  description: pyDocstring(["Accept flexible contact (email or phone).", "", "Uses anyOf schema."].join("\n")),
  params: [{ name: "contact_info", type: "string" }],
  returns: "object",
  run: ({ contact_info }) => ({ type: contact_info.includes("@") ? "email" : "phone", value: contact_info }),
});

export const getWeather = defineTool<{ location: string }>({
  name: "get_weather",
  description: pyDocstring(["Get weather with structured output.", "", "Has both input and output schemas."].join("\n")),
  params: [{ name: "location", type: "string" }],
  returns: "object",
  run: () => ({ temperature: 72.5, conditions: "Sunny", humidity: 45, wind_speed: 10.2 }),
});

/** Python float arithmetic; `null` where upstream yields None. */
export function arithmetic(x: number, y: number, operation: string, names: [string, string, string, string]): PyFloat | null | undefined {
  const [add, sub, mul, div] = names;
  if (operation === add) return new PyFloat(x + y);
  if (operation === sub) return new PyFloat(x - y);
  if (operation === mul) return new PyFloat(x * y);
  if (operation === div) return y !== 0 ? new PyFloat(x / y) : null;
  return undefined;
}

export const calculateWithOutput = defineTool<{ x: number; y: number; operation: string }>({
  name: "calculate",
  description: pyDocstring("Perform calculation with validated output."),
  params: [
    { name: "x", type: "number" },
    { name: "y", type: "number" },
    { name: "operation", type: "string" },
  ],
  returns: "object",
  run: ({ x, y, operation }) => ({
    result: arithmetic(x, y, operation, ["add", "subtract", "multiply", "divide"]) ?? null,
    operation,
  }),
});

/** Complex-schema server of upstream's JSON-schema tests. */
export const jsonSchemaTools = [bookFlight, processOrder, flexibleContact];
/** Output-schema server of upstream's JSON-schema tests. */
export const outputSchemaTools = [getWeather, calculateWithOutput];
