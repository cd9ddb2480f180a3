import { describe, expect, it } from "vitest";
import { PyFloat, TOOLSETS, toPythonJson } from "../src/index.js";
import { fileAccess } from "../src/tools/dependency.js";

function tool(set: keyof typeof TOOLSETS, name: string) {
  const found = TOOLSETS[set].find((t) => t.name === name);
  if (!found) throw new Error(`no ${name} in ${set}`);
  return found;
}

describe("advertised schemas (pydantic shape)", () => {
  it("get_boiling_point has an optional boolean with default", () => {
    expect(tool("default", "get_boiling_point").inputSchema).toEqual({
      properties: {
        liquid_name: { title: "Liquid Name", type: "string" },
        celsius: { default: true, title: "Celsius", type: "boolean" },
      },
      required: ["liquid_name"],
      title: "get_boiling_pointArguments",
      type: "object",
    });
  });

  it("keeps pydantic's key order, which request hashes depend on", () => {
    const schema = tool("default", "get_boiling_point").inputSchema;
    expect(Object.keys(schema)).toEqual(["properties", "required", "title", "type"]);
    expect(Object.keys((schema.properties as Record<string, object>).celsius!)).toEqual(["default", "title", "type"]);
  });

  it("greet_everyone has an empty description and a string output schema", () => {
    const greet = tool("default", "greet_everyone");
    expect(greet.description).toBe("");
    expect(greet.outputSchema).toEqual({
      properties: { result: { title: "Result", type: "string" } },
      required: ["result"],
      title: "greet_everyoneOutput",
      type: "object",
    });
  });

  it("docstring descriptions keep the nested-function indentation", () => {
    expect(tool("dependency", "get_user_id").description).toBe(
      "\n        Get the user ID for a given username. This ID is needed for other operations.\n\n" +
        "        :param username: The username to look up\n        :return: The user ID for the username\n        ",
    );
  });

  it("dict and list[dict] parameters", () => {
    expect(tool("json-schema", "book_flight").inputSchema).toEqual({
      properties: {
        flight: { additionalProperties: true, title: "Flight", type: "object" },
        passengers: { items: { additionalProperties: true, type: "object" }, title: "Passengers", type: "array" },
        payment: { additionalProperties: true, title: "Payment", type: "object" },
      },
      required: ["flight", "passengers", "payment"],
      title: "book_flightArguments",
      type: "object",
    });
  });

  it("dict-returning tools advertise no output schema, float-returning ones do", () => {
    expect(tool("output-schema", "get_weather").outputSchema).toBeUndefined();
    expect(tool("calculator", "calculate").outputSchema).toMatchObject({ properties: { result: { type: "number" } } });
  });
});

describe("tool behaviour", () => {
  it("dependency chain answers", async () => {
    const run = (set: keyof typeof TOOLSETS, name: string, args: Record<string, unknown>) => tool(set, name).run(args);
    expect(await run("dependency", "get_user_id", { username: "Charlie" })).toBe("user_11111");
    expect(await run("dependency", "get_user_id", { username: "zed" })).toBe("user_99999");
    expect(await run("dependency", "get_user_permissions", { user_id: "user_12345" })).toBe("read,write");
    expect(await run("dependency", "get_user_permissions", { user_id: "bogus" })).toBe("none");
    expect(await run("dependency", "get_experiment_id", { experiment_name: "Boiling_Point" })).toBe("exp_004");
    expect(await run("dependency", "get_experiment_results", { experiment_id: "exp_003" })).toBe("Yield: 85%, Status: Complete");
    expect(await run("dependency", "get_experiment_results", { experiment_id: "exp_004" })).toBe("Boiling Point: 100°C, Status: Verified");
    expect(await run("dependency", "get_experiment_results", { experiment_id: "x" })).toBe("Invalid experiment ID");
  });

  it.each([
    ["user_00000", "secret_plan.pdf", "yes"],
    ["user_11111", "report.pdf", "yes"],
    ["user_11111", "secret_plan.txt", "no"],
    ["user_12345", "notes.txt", "yes"],
    ["user_12345", "notes.md", "no"],
    ["user_67890", "notes.md", "yes"],
    ["user_67890", "data.csv", "no"],
    ["user_99999", "notes.txt", "no"],
  ])("check_file_access(%s, %s) = %s", (user, file, expected) => {
    expect(fileAccess(user, file)).toBe(expected);
  });

  it("json-schema tools echo their input as indented JSON text", async () => {
    const out = await tool("json-schema", "flexible_contact").run({ contact_info: "user@example.com" });
    expect(toPythonJson(out)).toBe('{\n  "type": "email",\n  "value": "user@example.com"\n}');
    const phone = await tool("json-schema", "flexible_contact").run({ contact_info: "+15551234567" });
    expect(phone).toEqual({ type: "phone", value: "+15551234567" });
    const order = await tool("json-schema", "process_order").run({ order_data: { items: [] } });
    expect(order).toEqual({ order_id: "ORD789", status: "processing", data: { items: [] } });
  });

  it("float results print like Python", async () => {
    expect(toPythonJson(await tool("calculator", "calculate").run({ x: 5, y: 3, operation: "add" }))).toBe("8.0");
    expect(await tool("calculator", "calculate").run({ x: 5, y: 3, operation: "pow" })).toBe(0);
    expect(await tool("calculator", "calculate").run({ x: 1, y: 0, operation: "div" })).toBeNull();
    const out = await tool("output-schema", "calculate").run({ x: 1, y: 4, operation: "divide" });
    expect(toPythonJson(out)).toBe('{\n  "result": 0.25,\n  "operation": "divide"\n}');
    expect(toPythonJson({ v: new PyFloat(-2) })).toBe('{\n  "v": -2.0\n}');
  });

  it("rejects arguments of the wrong type", () => {
    expect(() => tool("json-schema", "book_flight").run({ flight: "x", passengers: [], payment: {} })).toThrow(
      /flight: expected object, got str/,
    );
  });
});
