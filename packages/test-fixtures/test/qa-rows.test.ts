import { describe, expect, it } from "vitest";

import { QA_ROWS, qaCsv, qaCsvDataUrl } from "../src/index.js";

describe("qaCsv", () => {
  it("writes a header and one line per row, quoting fields that hold quotes or commas", () => {
    const lines = qaCsv().trimEnd().split("\n");
    expect(lines[0]).toBe("input_query,generated_answer,expected_answer,chat_completion_input");
    expect(lines).toHaveLength(QA_ROWS.length + 1);
    expect(lines[1]).toBe(
      'What is the capital of France?,London,Paris,"[{""role"": ""user"", ""content"": ""What is the capital of France?""}]"',
    );
  });

  it("encodes the CSV as a base64 data URL", () => {
    const url = qaCsvDataUrl();
    expect(url.startsWith("data:text/csv;base64,")).toBe(true);
    expect(Buffer.from(url.slice("data:text/csv;base64,".length), "base64").toString()).toBe(qaCsv());
  });
});
