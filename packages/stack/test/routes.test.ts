import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiPrefixOf, stackHasRoute, stackServesApiOf } from "../src/routes.js";

// A stack that lists one route but also serves an unlisted GET, as Llama Stack 0.4.0 does.
const seen: string[] = [];
const server = http.createServer((req, res) => {
  seen.push(`${req.method} ${req.url}`);
  res.setHeader("content-type", "application/json");
  if (req.url === "/v1/inspect/routes") return res.end(JSON.stringify({ data: [{ route: "/v1/files", method: "GET" }] }));
  if (req.url === "/v1/scoring-functions") return res.end(JSON.stringify({ data: [] }));
  res.statusCode = 404;
  res.end(JSON.stringify({ detail: "Not Found" }));
});
let baseUrl = "";
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("stackHasRoute", () => {
  it("trusts the listing, probes an unlisted parameterless GET, and never probes other methods", async () => {
    expect(await stackHasRoute(baseUrl, "GET", "/v1/files", {})).toBe(true);
    expect(await stackHasRoute(baseUrl, "GET", "/v1/scoring-functions", {})).toBe(true);
    expect(await stackHasRoute(baseUrl, "GET", "/v1/post-training/jobs", {})).toBe(false);
    expect(await stackHasRoute(baseUrl, "POST", "/v1/conversations", {})).toBe(false);
    expect(await stackHasRoute(baseUrl, "GET", "/v1/conversations/{conversation_id}", {})).toBe(false);
    expect(seen.filter((s) => s.startsWith("POST") || s.includes("{"))).toEqual([]);
    expect(seen.filter((s) => s === "GET /v1/inspect/routes")).toHaveLength(1);
  });
});

describe("stackServesApiOf", () => {
  it("claims an API when the listing has any route under its first two path segments", async () => {
    expect(apiPrefixOf("/v1alpha/post-training/supervised-fine-tune")).toBe("/v1alpha/post-training");
    expect(await stackServesApiOf(baseUrl, "/v1/files/{file_id}/content", {})).toBe(true);
    expect(await stackServesApiOf(baseUrl, "/v1/files-extra", {})).toBe(false);
    expect(await stackServesApiOf(baseUrl, "/v1alpha/post-training/jobs", {})).toBe(false);
  });
});
