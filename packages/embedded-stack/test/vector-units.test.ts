import { describe, expect, it } from "vitest";
import { generateChunkId, makeOverlappedChunks } from "../src/apis/vector_io/chunking.js";
import { matchesFilters } from "../src/apis/vector_io/filters.js";
import { paginateByCursor } from "../src/apis/vector_io/pagination.js";
import { pyRepr } from "../src/apis/vector_io/py-repr.js";
import { combineScores, rerankerFromParams } from "../src/apis/vector_io/rerank.js";

describe("chunk ids", () => {
  it("match upstream's sha256-derived UUIDs", () => {
    expect(generateChunkId("doc1", "Python is")).toBe("e5e30589-8828-69e3-ea09-750d5fe7eef0");
    expect(generateChunkId("hello world", "hello world", "0-2")).toBe("f640111a-1165-8879-dbbd-94f559956f8d");
  });
});

describe("pyRepr", () => {
  it("renders metadata exactly as Python's str(dict)", () => {
    const value = { filename: "a.txt", n: 1, f: 0.5, b: true, x: null, l: [1, "it's"], q: 'say "hi"' };
    expect(pyRepr(value)).toBe(`{'filename': 'a.txt', 'n': 1, 'f': 0.5, 'b': True, 'x': None, 'l': [1, "it's"], 'q': 'say "hi"'}`);
    expect([pyRepr(1e-5), pyRepr(1.5e-7), pyRepr(123456789.123)]).toEqual(["1e-05", "1.5e-07", "123456789.123"]);
  });
});

describe("makeOverlappedChunks", () => {
  it("keeps a short text as one chunk with upstream's metadata", async () => {
    const [chunk, ...rest] = await makeOverlappedChunks("file-1", "Hello world!", 800, 400, { filename: "a.txt" }, 1000);
    expect(rest).toEqual([]);
    expect(chunk?.content).toBe("Hello world!");
    expect(chunk?.metadata).toMatchObject({ filename: "a.txt", document_id: "file-1", token_count: 3 });
    expect(chunk?.chunk_metadata).toMatchObject({
      document_id: "file-1",
      chunk_window: "0-3",
      chunk_tokenizer: "DEFAULT_TIKTOKEN_TOKENIZER",
      content_token_count: 3,
      created_timestamp: 1000,
    });
    expect(chunk?.chunk_id).toBe(generateChunkId("Hello world!", "Hello world!", "0-3"));
  });

  it("slides windows of max tokens stepping by max minus overlap", async () => {
    const text = Array.from({ length: 250 }, (_, i) => `w${i}`).join(" ");
    const chunks = await makeOverlappedChunks("d", text, 100, 40, {}, 0);
    const windows = chunks.map((c) => c.chunk_metadata?.chunk_window);
    expect(windows[0]).toBe("0-100");
    expect(windows[1]).toBe("60-160");
    const last = chunks[chunks.length - 1];
    expect(last?.chunk_metadata?.chunk_window?.endsWith(`-${last.chunk_metadata.content_token_count! + Number(last.chunk_metadata.chunk_window!.split("-")[0])}`)).toBe(true);
    expect(chunks.every((c) => (c.metadata.token_count as number) <= 100)).toBe(true);
  });

  it("yields nothing for an overlap larger than the window and rejects an equal one", async () => {
    expect(await makeOverlappedChunks("d", "some text", 100, 200, {}, 0)).toEqual([]);
    await expect(makeOverlappedChunks("d", "some text", 100, 100, {}, 0)).rejects.toThrow(/must be smaller/);
  });
});

describe("matchesFilters", () => {
  const meta = { topic: "ai", year: 2021, flag: true, score: 0.5 };
  it.each([
    [{ type: "eq", key: "topic", value: "ai" }, true],
    [{ type: "ne", key: "topic", value: "ai" }, false],
    [{ type: "gt", key: "year", value: 2020 }, true],
    [{ type: "gte", key: "year", value: 2021 }, true],
    [{ type: "lt", key: "year", value: 2021 }, false],
    [{ type: "lte", key: "score", value: 0.5 }, true],
    [{ type: "eq", key: "flag", value: 1 }, true],
    [{ type: "eq", key: "missing", value: "x" }, false],
    [{ type: "and", filters: [{ type: "eq", key: "topic", value: "ai" }, { type: "gte", key: "year", value: 2022 }] }, false],
    [{ type: "or", filters: [{ type: "eq", key: "topic", value: "db" }, { type: "gte", key: "year", value: 2020 }] }, true],
  ])("%j -> %s", (filter, expected) => {
    expect(matchesFilters(meta, filter)).toBe(expected);
  });

  it("rejects filters without a known type and unorderable comparisons", () => {
    expect(() => matchesFilters(meta, { topic: "ai" })).toThrow("Unsupported filter type: None");
    expect(() => matchesFilters(meta, { type: "gt", key: "topic", value: 1 })).toThrow(/cannot order/);
  });
});

describe("rerank", () => {
  const vector = new Map([["a", 3], ["b", 2]]);
  const keyword = new Map([["b", -5], ["c", -1]]);
  it("fuses by reciprocal rank with k", () => {
    const s = combineScores(vector, keyword, rerankerFromParams({ strategy: "rrf", params: { k: 10 } }));
    expect(s.get("b")).toBeCloseTo(1 / 12 + 1 / 12);
    expect(s.get("a")).toBeCloseTo(1 / 11);
    expect(s.get("c")).toBeCloseTo(1 / 11);
  });
  it("weights min-max normalized scores by alpha", () => {
    const s = combineScores(vector, keyword, rerankerFromParams({ strategy: "weighted", params: { weights: [0.7, 0.3] } }));
    expect(s.get("a")).toBeCloseTo(0.7);
    expect(s.get("b")).toBeCloseTo(0);
    expect(s.get("c")).toBeCloseTo(0.3);
  });
  it("falls back to RRF k=60 for unknown strategies", () => {
    expect(rerankerFromParams({ strategy: "normalized" })).toEqual({ type: "rrf", impactFactor: 60 });
  });
});

describe("paginateByCursor", () => {
  const items = ["a", "b", "c", "d"].map((id) => ({ id }));
  it("slices after/before then limits", () => {
    expect(paginateByCursor(items, 2, "a", undefined)).toMatchObject({ first_id: "b", last_id: "c", has_more: true });
    expect(paginateByCursor(items, 5, undefined, "c").data.map((x) => x.id)).toEqual(["a", "b"]);
    expect(paginateByCursor([], 5, undefined, undefined)).toMatchObject({ first_id: null, last_id: null, has_more: false });
  });
  it("windows relative to the whole list", () => {
    const p = paginateByCursor(items, 2, "b", undefined, "window");
    expect(p.data.map((x) => x.id)).toEqual(["c", "d"]);
    expect(p.has_more).toBe(false);
  });
});
