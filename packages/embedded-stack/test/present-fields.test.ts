/**
 * The field-by-field body parser gives exactly what zod's parse gives (values, key order), or defers
 * to zod: checked against zod on hand-picked bodies and on seeded random bodies of each inference
 * request schema and of schemas in the other unknown-keys modes.
 */
import { describe, expect, it } from "vitest";
import { z, type ZodTypeAny } from "zod";
import { chatCompletionRequest, completionRequest, embeddingsRequest, rerankRequest } from "../src/apis/inference/schemas.js";
import { presentFieldsParser } from "../src/server/present-fields.js";
import { pyBool, pyFloat, pyInt } from "../src/server/py-types.js";

const strip = z.object({ name: z.string(), n: pyInt().nullish(), on: pyBool().default(true), tags: z.array(z.string()).optional() });
const strict = strip.strict();
const passthrough = strip.passthrough();

const SCHEMAS: Record<string, z.AnyZodObject> = { chatCompletionRequest, completionRequest, embeddingsRequest, rerankRequest, strip, strict, passthrough };

/** Same as zod: null, or a deep-equal value whose keys come in zod's order. */
function expectAgreement(schema: z.AnyZodObject, body: unknown): "fast" | "zod" {
  const fast = presentFieldsParser(schema)?.(body) ?? null;
  const zod = schema.safeParse(body);
  if (fast === null) return "zod";
  expect(zod.success, `zod rejects what the fast path accepted: ${JSON.stringify(body)}`).toBe(true);
  expect(fast).toStrictEqual(zod.data);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
  return "fast";
}

const user = { role: "user", content: "Say hello" };

describe("presentFieldsParser", () => {
  it("takes the fast path for a plain chat request and gives zod's object", () => {
    const body = { stream: false, messages: [user], model: "llama-cpp/tiny-random-llama", temperature: 0, max_tokens: 5, extra: { a: 1 } };
    expect(expectAgreement(chatCompletionRequest, body)).toBe("fast");
    expect(Object.keys(presentFieldsParser(chatCompletionRequest)!(body)!)).toEqual(["model", "messages", "max_tokens", "stream", "temperature", "extra"]);
  });

  it("converts a field its shortcut cannot vouch for with the field's own schema", () => {
    const body = { model: "m", messages: [user], max_tokens: "5", stream: "yes" };
    expect(expectAgreement(chatCompletionRequest, body)).toBe("fast");
    expect(presentFieldsParser(chatCompletionRequest)!(body)).toMatchObject({ max_tokens: 5, stream: true });
  });

  it.each([
    ["a float for an int", { model: "m", messages: [user], n: 1.5 }],
    ["a message without content", { model: "m", messages: [{ role: "user" }] }],
    ["an unknown role", { model: "m", messages: [{ role: "robot", content: "x" }] }],
    ["no messages", { model: "m", messages: [] }],
    ["a missing model", { messages: [user] }],
    ["an array body", [user]],
    ["__proto__ as a key", JSON.parse('{"model": "m", "messages": [{"role": "user", "content": "x"}], "__proto__": {"a": 1}}') as unknown],
  ])("defers to zod for %s", (_what, body) => {
    expect(expectAgreement(chatCompletionRequest, body)).toBe("zod");
  });

  it("fills defaults, drops or refuses extra keys as the object's mode says", () => {
    expect(expectAgreement(strip, { name: "x", extra: 1 })).toBe("fast");
    expect(presentFieldsParser(strip)!({ name: "x", extra: 1 })).toEqual({ name: "x", on: true });
    expect(expectAgreement(passthrough, { extra: 1, name: "x" })).toBe("fast");
    expect(expectAgreement(strict, { name: "x", extra: 1 })).toBe("zod");
    expect(expectAgreement(strict, { name: "x", n: null })).toBe("fast");
  });

  it("agrees with zod on 6,000 seeded random bodies", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const values: unknown[] = [
      null, true, false, 0, 1, -0, 2.5, 2 ** 60, "5", " 7 ", "yes", "0.5", "", "text", [], ["a"], ["a", 1], [1, 2], [[1]], {}, { a: 1 }, { type: "text" },
      { type: "json_schema", json_schema: { name: "x" } }, { type: "other" }, [user], [user, { role: "assistant", content: null, tool_calls: [] }],
      [{ role: "tool", content: "x" }], [{ role: "developer", content: "x" }], [{ content: "x" }], [1], { "0": 1 }, [{ type: "image_url" }],
    ];
    let fast = 0;
    let total = 0;
    for (const [name, schema] of Object.entries(SCHEMAS)) {
      const keys = [...Object.keys(schema.shape as Record<string, ZodTypeAny>), "extra", "other_key"];
      for (let i = 0; i < 1000; i++) {
        const body: Record<string, unknown> = {};
        // Mostly valid-looking bodies: the required fields usually right, a few random fields besides.
        if (random() < 0.9) body.model = "llama-cpp/m";
        if (random() < 0.9) body.messages = pick([[user], [user, { role: "assistant", content: "hi" }], [{ role: "system", content: "s" }, user]]);
        if (random() < 0.9) body.name = "n";
        if (random() < 0.9) body.input = pick(["x", ["x", "y"]]);
        if (random() < 0.9) body.prompt = pick(["x", ["x"], [1, 2]]);
        for (let k = Math.floor(random() * 4); k > 0; k--) body[pick(keys)] = pick(values);
        try {
          if (expectAgreement(schema, body) === "fast") fast++;
        } catch (err) {
          throw new Error(`${name}: ${JSON.stringify(body)}: ${(err as Error).message}`);
        }
        total++;
      }
    }
    // A good share take the fast path, so the agreement above is tested on it.
    expect(fast / total).toBeGreaterThan(0.2);
  });
});
