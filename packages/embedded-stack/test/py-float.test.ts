/** Float-typed fields reach the provider with a decimal point, as upstream's Python floats do; nothing else changes. */
import { describe, expect, it } from "vitest";
import { asPyFloat, stringifyProviderBody } from "../src/providers/py-float.js";

describe("stringifyProviderBody", () => {
  it("writes floats with a decimal point, everything else as JSON.stringify does", () => {
    const body = {
      model: "m",
      temperature: asPyFloat(0),
      top_p: asPyFloat(0.5),
      presence_penalty: asPyFloat(1e21),
      logit_bias: asPyFloat({ "50256": -100, "7": 2.5 }),
      messages: [{ role: "user", content: 'a "0" and \u0000pyfloat: in text' }],
      max_tokens: 5,
    };
    expect(stringifyProviderBody(body)).toBe(
      '{"model":"m","temperature":0.0,"top_p":0.5,"presence_penalty":1e+21,"logit_bias":{"7":2.5,"50256":-100.0},' +
        '"messages":[{"role":"user","content":"a \\"0\\" and \\u0000pyfloat: in text"}],"max_tokens":5}',
    );
  });

  it("leaves a body without floats as JSON.stringify writes it", () => {
    const body = { model: "m", messages: [{ role: "user", content: "hi" }], stream: false, n: 1 };
    expect(stringifyProviderBody(body)).toBe(JSON.stringify(body));
  });
});
