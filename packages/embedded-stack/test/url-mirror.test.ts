import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { localizeImageUrls } from "../src/providers/localize-images.js";
import { configureUrlMirrors, mirrorUrl, parseUrlMirrors, URL_MIRRORS_ENV, UrlMirrorsError } from "../src/providers/url-mirror.js";

const GITHUB = "https://raw.githubusercontent.com/org/repo/main/tests/";

describe("parseUrlMirrors", () => {
  it("reads a JSON object of prefix -> replacement; unset or empty means none", () => {
    expect(parseUrlMirrors(undefined)).toEqual([]);
    expect(parseUrlMirrors("")).toEqual([]);
    expect(parseUrlMirrors(JSON.stringify({ [GITHUB]: "http://127.0.0.1:9/" }))).toEqual([{ from: GITHUB, to: "http://127.0.0.1:9/" }]);
  });

  it.each([
    ["not JSON", "{nope"],
    ["a JSON array", '["https://a/"]'],
    ["a non-string replacement", '{"https://a/": 1}'],
    ["a relative prefix", '{"/data/": "http://127.0.0.1:9/"}'],
    ["a non-http replacement", '{"https://a/": "file:///tmp/"}'],
  ])("rejects %s, naming the variable and the expected shape", (_case, raw) => {
    expect(() => parseUrlMirrors(raw)).toThrow(UrlMirrorsError);
    expect(() => parseUrlMirrors(raw)).toThrow(/^Invalid LLAMA_STACK_URL_MIRRORS: .*Expected a JSON object of URL prefix -> replacement prefix/);
  });
});

describe("mirrorUrl", () => {
  const mirrors = [
    { from: "https://example.com/", to: "http://127.0.0.1:1/all/" },
    { from: "https://example.com/data/", to: "http://127.0.0.1:2/" },
  ];

  it("replaces the longest matching prefix and keeps the rest of the URL", () => {
    expect(mirrorUrl("https://example.com/data/a/dog.png?x=1", mirrors)).toBe("http://127.0.0.1:2/a/dog.png?x=1");
    expect(mirrorUrl("https://example.com/other.png", mirrors)).toBe("http://127.0.0.1:1/all/other.png");
  });

  it("leaves URLs no prefix matches untouched", () => {
    expect(mirrorUrl("https://example.org/data/a.png", mirrors)).toBe("https://example.org/data/a.png");
    expect(mirrorUrl("https://example.com/data/a.png", [])).toBe("https://example.com/data/a.png");
  });
});

describe("image localization through the mirror", () => {
  afterEach(() => configureUrlMirrors({}));

  it("downloads a mirrored image from the replacement URL (real HTTP on loopback)", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? "");
      res.writeHead(200, { "content-type": "image/png" }).end(png);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      configureUrlMirrors({ [URL_MIRRORS_ENV]: JSON.stringify({ [GITHUB]: origin }) });
      const [message] = (await localizeImageUrls([
        { role: "user", content: [{ type: "image_url", image_url: { url: `${GITHUB}inference/dog.png` } }] },
      ])) as { content: { image_url: { url: string } }[] }[];
      expect(message?.content[0]?.image_url.url).toBe(`data:image/png;base64,${png.toString("base64")}`);
      expect(paths).toEqual(["/inference/dog.png"]);
    } finally {
      server.close();
    }
  });

  it("names the mirrored URL when the mirror cannot be reached", async () => {
    configureUrlMirrors({ [URL_MIRRORS_ENV]: JSON.stringify({ [GITHUB]: "http://127.0.0.1:1/" }) });
    await expect(
      localizeImageUrls([{ role: "user", content: [{ type: "image_url", image_url: { url: `${GITHUB}dog.png` } }] }]),
    ).rejects.toThrow(/Failed to localize image content from .* \(mirrored to http:\/\/127\.0\.0\.1:1\/dog\.png\)/);
  });
});

describe("stack startup with LLAMA_STACK_URL_MIRRORS", () => {
  it("fails before opening anything when the value is invalid", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "embedded-stack-mirror-"));
    try {
      await expect(buildApp({ dataDir, env: { [URL_MIRRORS_ENV]: "[1]" }, log: () => {} })).rejects.toThrow(UrlMirrorsError);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      configureUrlMirrors({});
    }
  });
});
