/**
 * Offline web mirror: a test double for the internet. A static HTTP server on loopback that serves one
 * directory the way raw.githubusercontent.com serves a repository's files, so a stack told to fetch
 * from it (LLAMA_STACK_URL_MIRRORS) gets the same bytes and content-type without network access.
 */
import fs from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface OfflineWebMirror {
  /** http://<host>:<port>/, with the trailing slash, so it can replace a URL prefix as is. */
  url: string;
  close(): Promise<void>;
}

export interface OfflineWebMirrorOptions {
  /** Directory whose files are served; URL path `/a/b.png` is `<root>/a/b.png`. */
  root: string;
  host?: string;
  port?: number;
}

// GitHub raw answers images with their type and every text file as plain text (it never serves markup).
const IMAGE_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};
const TEXT_EXTENSIONS = new Set([".txt", ".md", ".json", ".jsonl", ".yaml", ".yml", ".csv", ".py", ".ts", ".js", ".html", ".css"]);
const TEXT_TYPE = "text/plain; charset=utf-8";

/** Content-type raw.githubusercontent.com sends for a file name. */
export function contentTypeFor(fileName: string): string {
  const ext = path.extname(fileName).toLowerCase();
  return IMAGE_TYPES[ext] ?? (TEXT_EXTENSIONS.has(ext) ? TEXT_TYPE : "application/octet-stream");
}

function send(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": TEXT_TYPE, "x-content-type-options": "nosniff", ...extra });
  res.end(body);
}

/** The file a request path names, or undefined when it is outside the root or not a regular file. */
function resolveFile(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.replace(/[?#].*$/, ""));
  } catch {
    return undefined;
  }
  const file = path.resolve(root, `.${decoded}`);
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  try {
    return fs.statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

export async function startOfflineWebMirror(opts: OfflineWebMirrorOptions): Promise<OfflineWebMirror> {
  const root = path.resolve(opts.root);
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`Offline web mirror: ${root} is not a directory; pass the directory whose files it should serve`);
  }
  const server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, "405: Method Not Allowed", { allow: "GET, HEAD" });
      return;
    }
    const file = resolveFile(root, req.url ?? "/");
    if (!file) {
      send(res, 404, "404: Not Found");
      return;
    }
    const size = fs.statSync(file).size;
    res.writeHead(200, { "content-type": contentTypeFor(file), "content-length": String(size), "x-content-type-options": "nosniff" });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    fs.createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
