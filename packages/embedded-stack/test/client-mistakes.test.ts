/**
 * Client mistakes the bad-input sweep cannot reach with generic inputs: dataset sources that are not
 * what they claim, file names that would break a header, requests too big for the HTTP parser, bodies
 * the JSON or multipart parser cannot read, and uploads that must reach disk as they arrive.
 */
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentDisposition } from "../src/apis/files/routes.js";
import { postJson, startHarness, type Harness } from "./server-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function registerAndRead(uri: string): Promise<{ status: number; body: any }> {
  const reg = await postJson(`${h.url}/v1beta/datasets`, { purpose: "eval/messages-answer", source: { type: "uri", uri } });
  if (reg.status !== 200) return { status: reg.status, body: await reg.json() };
  const { identifier } = (await reg.json()) as { identifier: string };
  const rows = await fetch(`${h.url}/v1beta/datasetio/iterrows/${identifier}`);
  return { status: rows.status, body: await rows.json() };
}

/** Raw bytes over a socket, for requests fetch refuses to send; resolves with the whole answer. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(text));
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("close", () => resolve(answer));
    socket.on("error", (err) => (answer ? resolve(answer) : reject(err)));
  });
}

describe("dataset sources", () => {
  it("reads a file: URI's path only: a fragment or query cannot make a non-CSV file pass as CSV", async () => {
    for (const uri of ["file:///etc/passwd#.csv", "file:///etc/passwd?x=.csv", "http://127.0.0.1:9/etc/passwd?.csv"]) {
      const res = await registerAndRead(uri);
      expect(res.status, uri).toBe(400);
      expect(res.body.detail, uri).toBe(`Invalid value: Unsupported file type: ${uri}`);
    }
  });

  it("answers 400 for a directory named like a CSV file and for an unreachable CSV URL", async () => {
    const dir = join(h.dataDir, "folder.csv");
    mkdirSync(dir);
    const res = await registerAndRead(dir);
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain("Cannot read dataset file");
    const unreachable = await registerAndRead("http://127.0.0.1:9/rows.csv");
    expect(unreachable.status).toBe(400);
    expect(unreachable.body.detail).toContain("Could not fetch dataset");
  });

  it("reads a data URL with broken percent-escapes as Python's unquote does, keeping them", async () => {
    const res = await registerAndRead("data:text/csv,a%2Cb%0A1%2C%E0%A4%A");
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([{ a: 1, b: "\ufffd%A" }]);
  });
});

describe("file names in Content-Disposition", () => {
  /** The header's parameters, read as a client reads them (quoted strings honoured). */
  function params(header: string): [string, string][] {
    return [...header.matchAll(/;\s*([^=;\s]+)=("(?:[^"\\]|\\.)*"|[^;]*)/g)].map((m) => [m[1] as string, m[2] as string]);
  }

  it.each([`report"; filename*=UTF-8''evil.exe`, 'a\\"; filename="b.exe', "x\r\nSet-Cookie: y", "snow ☃.txt", "plain name.txt"])(
    "gives %j as one name, never a second parameter",
    (name) => {
      const header = contentDisposition(name);
      const names = params(header).map(([key]) => key);
      expect(names.filter((k) => k === "filename")).toEqual(["filename"]);
      expect(names.every((k) => k === "filename" || k === "filename*")).toBe(true);
      expect(header).not.toMatch(/[\r\n]/);
      const encoded = params(header).find(([k]) => k === "filename*")?.[1];
      if (encoded) expect(decodeURIComponent(encoded.replace(/^UTF-8''/, ""))).toBe(name);
      else expect(params(header)[0]?.[1]).toBe(`"${name}"`);
    },
  );

  it("serves a stored name with a quote under one filename and its exact UTF-8 form", async () => {
    // Written by hand: FormData would percent-encode the quote; the form parser keeps what follows it.
    const form = `--b\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="report\\"; filename*=UTF-8''evil.exe"\r\n\r\nx\r\n--b--\r\n`;
    const res = await fetch(`${h.url}/v1/files`, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=b" }, body: form });
    const up = (await res.json()) as { id: string; filename: string };
    expect(up.filename).toContain('"');
    const header = (await fetch(`${h.url}/v1/files/${up.id}/content`)).headers.get("content-disposition") ?? "";
    expect(params(header).map(([k]) => k)).toEqual(["filename", "filename*"]);
    expect(decodeURIComponent(params(header)[1]?.[1].replace(/^UTF-8''/, "") ?? "")).toBe(up.filename);
  });
});

describe("requests the parsers refuse", () => {
  it("answers headers beyond the parser's limit with 431 and a URL beyond it likewise, in the plain envelope", async () => {
    const bigHeader = await rawRequest(h.stack.port, `GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(70_000)}\r\n\r\n`);
    expect(bigHeader.split("\r\n")[0]).toBe("HTTP/1.1 431 Request Header Fields Too Large");
    expect(JSON.parse(bigHeader.split("\r\n\r\n")[1] ?? "")).toEqual({ detail: expect.stringContaining("exceed") });
    const longUrl = await rawRequest(h.stack.port, `GET /v1/files/${"a".repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(longUrl.split("\r\n")[0]).toBe("HTTP/1.1 431 Request Header Fields Too Large");
    const garbage = await rawRequest(h.stack.port, "NOT HTTP AT ALL\r\n\r\n");
    expect(garbage.split("\r\n")[0]).toBe("HTTP/1.1 400 Bad Request");
    expect(JSON.parse(garbage.split("\r\n\r\n")[1] ?? "")).toEqual({ detail: "Invalid HTTP request received." });
  });

  it("answers a path parameter beyond the router's limit with 414 in the plain envelope", async () => {
    const res = await fetch(`${h.url}/v1/files/${"a".repeat(3000)}`);
    expect(res.status).toBe(414);
    expect(await res.json()).toEqual({ detail: expect.stringContaining("/v1/files/aaa") });
  });

  it("answers JSON nested beyond Python's parser, or not UTF-8, with FastAPI's 400, never wrapped", async () => {
    for (const path of ["/v1/chat/completions", "/v1/batches"]) {
      const deep = `{"model":"m","messages":${"[".repeat(3000)}${"]".repeat(3000)}}`;
      const res = await fetch(`${h.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: deep });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ detail: "There was an error parsing the body" });
    }
    const notUtf8 = await fetch(`${h.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]) });
    expect(notUtf8.status).toBe(400);
    expect(await notUtf8.json()).toEqual({ detail: "There was an error parsing the body" });
    // Nesting Python's parser still reads reaches validation.
    const shallow = await fetch(`${h.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: `{"model":"m","messages":${"[".repeat(900)}${"]".repeat(900)}}` });
    expect(shallow.status).toBe(400);
    expect(((await shallow.json()) as any).error.detail.errors[0].loc).toEqual(["body", "messages", 0]);
  });

  it("answers a form without a boundary or cut short with FastAPI's 400", async () => {
    const noBoundary = await fetch(`${h.url}/v1/files`, { method: "POST", headers: { "content-type": "multipart/form-data" }, body: "x" });
    expect(noBoundary.status).toBe(400);
    expect(await noBoundary.json()).toEqual({ detail: "Missing boundary in multipart." });
    const cut = `--b\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhel`;
    const truncated = await fetch(`${h.url}/v1/files`, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=b" }, body: cut });
    expect(truncated.status).toBe(400);
    expect(await truncated.json()).toEqual({ detail: "There was an error parsing the body" });
    expect(readdirSync(join(h.dataDir, "files")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("answers integers JavaScript cannot hold exactly with pydantic's size error", async () => {
    const res = await fetch(`${h.url}/v1/files?limit=99999999999999999999999`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { detail: { errors: [{ loc: ["query", "limit"], msg: "Unable to parse input string as an integer, exceeded maximum size", type: "int_parsing_size" }] } },
    });
  });
});

describe("uploads", () => {
  it("writes an upload to disk while it arrives instead of holding it in memory", async () => {
    const boundary = "stream";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`;
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const filesDir = join(h.dataDir, "files");
    const staged = () => readdirSync(filesDir).filter((f) => f.startsWith(".upload-")).map((f) => statSync(join(filesDir, f)).size);
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${h.url}/v1/files`, { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${boundary}` } }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.write(head);
      for (let i = 0; i < 8; i++) req.write(chunk);
      // Half the file sent, the request still open: its bytes must already be on disk.
      void (async () => {
        for (let tries = 0; tries < 400 && !staged().some((size) => size >= 4 * chunk.length); tries++) await new Promise((r) => setTimeout(r, 25));
        expect(staged().some((size) => size >= 4 * chunk.length)).toBe(true);
        for (let i = 0; i < 8; i++) req.write(chunk);
        req.end(`\r\n--${boundary}--\r\n`);
      })().catch(reject);
    });
    const res = await answer;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ bytes: 16 * chunk.length, filename: "big.bin" });
    expect(staged()).toEqual([]);
  });
});
