import fs from "node:fs";
import { request } from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentTypeFor, startOfflineWebMirror, type OfflineWebMirror } from "../src/lifecycle/offline-web-mirror.js";
import {
  startUpstreamWebMirror,
  UPSTREAM_DIR_ENV,
  UPSTREAM_TEST_DATA_URL,
  URL_MIRRORS_ENV,
} from "../src/lifecycle/upstream-web-mirror.js";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);

function makeTree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "web-mirror-"));
  fs.mkdirSync(path.join(root, "inference"));
  fs.writeFileSync(path.join(root, "inference", "dog.png"), PNG);
  fs.writeFileSync(path.join(root, "inference", "dog photo.jpg"), "jpeg");
  fs.writeFileSync(path.join(root, "notes.json"), "{}");
  fs.writeFileSync(path.join(os.tmpdir(), `${path.basename(root)}-secret.txt`), "outside");
  return root;
}

/** A raw request (no URL normalization by the client), so `..` reaches the server as sent. */
function rawGet(url: string, pathAndQuery: string, method = "GET"): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: pathAndQuery, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("offline web mirror (static server on loopback)", () => {
  let root: string;
  let mirror: OfflineWebMirror;
  beforeAll(async () => {
    root = makeTree();
    mirror = await startOfflineWebMirror({ root });
  });
  afterAll(async () => {
    await mirror.close();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(path.join(os.tmpdir(), `${path.basename(root)}-secret.txt`), { force: true });
  });

  it("serves a file's exact bytes with GitHub raw's content-type", async () => {
    expect(mirror.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(`${mirror.url}inference/dog.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it("decodes the path and ignores the query", async () => {
    const res = await fetch(`${mirror.url}inference/dog%20photo.jpg?raw=true`);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(await res.text()).toBe("jpeg");
  });

  it("answers HEAD with the headers only", async () => {
    const res = await rawGet(mirror.url, "/inference/dog.png", "HEAD");
    expect(res.status).toBe(200);
    expect(res.headers["content-length"]).toBe(String(PNG.length));
    expect(res.body.length).toBe(0);
  });

  it("answers 404 for missing files, directories and paths outside the root", async () => {
    for (const p of ["/inference/cat.png", "/inference", "/", `/../${path.basename(root)}-secret.txt`, "/%2e%2e/etc/passwd", "/%E0%A4%A"]) {
      const res = await rawGet(mirror.url, p);
      expect({ p, status: res.status, body: res.body.toString() }).toEqual({ p, status: 404, body: "404: Not Found" });
    }
  });

  it("refuses methods other than GET and HEAD", async () => {
    const res = await fetch(`${mirror.url}inference/dog.png`, { method: "POST", body: "x" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });

  it("stops listening on close", async () => {
    const other = await startOfflineWebMirror({ root });
    await other.close();
    expect(await fetch(`${other.url}notes.json`).then(() => "up", () => "down")).toBe("down");
  });

  it("refuses a root that is not a directory, naming it", async () => {
    const missing = path.join(root, "missing");
    await expect(startOfflineWebMirror({ root: missing })).rejects.toThrow(`${missing} is not a directory`);
  });
});

describe("contentTypeFor", () => {
  it("types images by extension and text as plain text, like raw.githubusercontent.com", () => {
    expect(contentTypeFor("dog.png")).toBe("image/png");
    expect(contentTypeFor("a.JPG")).toBe("image/jpeg");
    expect(contentTypeFor("a.jpeg")).toBe("image/jpeg");
    expect(contentTypeFor("cases.json")).toBe("text/plain; charset=utf-8");
    expect(contentTypeFor("index.html")).toBe("text/plain; charset=utf-8");
    expect(contentTypeFor("model.bin")).toBe("application/octet-stream");
  });
});

describe("startUpstreamWebMirror", () => {
  let upstream: string;
  beforeAll(() => {
    upstream = fs.mkdtempSync(path.join(os.tmpdir(), "upstream-tree-"));
    fs.mkdirSync(path.join(upstream, "tests", "integration", "inference"), { recursive: true });
    fs.writeFileSync(path.join(upstream, "tests", "integration", "inference", "dog.png"), PNG);
  });
  afterAll(() => fs.rmSync(upstream, { recursive: true, force: true }));

  it("maps upstream's GitHub test-data prefix to a mirror of tests/integration", async () => {
    const mirror = await startUpstreamWebMirror("/nonexistent-repo", { [UPSTREAM_DIR_ENV]: upstream });
    expect(mirror).toBeDefined();
    try {
      const mapping = JSON.parse(mirror?.stackEnv[URL_MIRRORS_ENV] ?? "{}") as Record<string, string>;
      expect(Object.keys(mapping)).toEqual([UPSTREAM_TEST_DATA_URL]);
      const res = await fetch(`${mapping[UPSTREAM_TEST_DATA_URL]}inference/dog.png`);
      expect(res.headers.get("content-type")).toBe("image/png");
      expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    } finally {
      await mirror?.close();
    }
  });

  it("finds the tree at <repo>/../shared/llama-stack-upstream by default", async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "checkout-"));
    try {
      fs.mkdirSync(path.join(parent, "repo"));
      fs.mkdirSync(path.join(parent, "shared"));
      fs.cpSync(upstream, path.join(parent, "shared", "llama-stack-upstream"), { recursive: true });
      const mirror = await startUpstreamWebMirror(path.join(parent, "repo"), {});
      expect(mirror?.description).toContain(path.join(parent, "shared", "llama-stack-upstream", "tests", "integration"));
      await mirror?.close();
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  it("starts nothing without the tree, or when the caller set the mirror variable", async () => {
    expect(await startUpstreamWebMirror("/nonexistent-repo", {})).toBeUndefined();
    expect(await startUpstreamWebMirror("/nonexistent-repo", { [UPSTREAM_DIR_ENV]: path.join(upstream, "nope") })).toBeUndefined();
    expect(await startUpstreamWebMirror("/nonexistent-repo", { [UPSTREAM_DIR_ENV]: upstream, [URL_MIRRORS_ENV]: "{}" })).toBeUndefined();
  });
});
