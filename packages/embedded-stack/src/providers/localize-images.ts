/**
 * Ollama cannot fetch image URLs, so upstream's adapter downloads every http(s) image part and sends
 * it inline as `data:image/<format>;base64,...` (format from the response content-type, default png);
 * data URLs are decoded and re-encoded the same way. Downloads go through the opt-in URL mirror.
 */
import { request } from "undici";
import { stackClosingSignal } from "../context/request-context.js";
import { InvalidValueError } from "../server/errors.js";
import type { JsonObject } from "../server/types.js";
import { outboundUrl } from "./url-mirror.js";

async function localize(url: string): Promise<string> {
  if (url.startsWith("data")) {
    const match = /^data:image\/(\w+);base64,(.+)$/s.exec(url);
    if (!match) throw new InvalidValueError(`Invalid data URL format, ${url.slice(0, 40)}...`);
    return `data:image/${match[1]};base64,${Buffer.from(match[2] as string, "base64").toString("base64")}`;
  }
  const shown = `${url.slice(0, 42)}${url.length > 42 ? "..." : ""}`;
  const source = outboundUrl(url);
  try {
    // Like upstream's httpx client: no redirects followed, the body taken whatever the status.
    const res = await request(source, { signal: stackClosingSignal() });
    const bytes = Buffer.from(await res.body.arrayBuffer());
    const contentType = res.headers["content-type"];
    const format = typeof contentType === "string" && contentType ? (contentType.split("/").pop() as string) : "png";
    return `data:image/${format};base64,${bytes.toString("base64")}`;
  } catch {
    const via = source === url ? "" : ` (mirrored to ${source})`;
    throw new InvalidValueError(`Failed to localize image content from ${shown}${via}`);
  }
}

/** Messages with their http image parts inlined; other content is returned as is. */
export async function localizeImageUrls(messages: unknown[]): Promise<unknown[]> {
  return Promise.all(
    messages.map(async (message) => {
      const m = message as JsonObject;
      if (!Array.isArray(m.content)) return message;
      const content = await Promise.all(
        m.content.map(async (part) => {
          const p = part as JsonObject;
          const image = p.image_url as JsonObject | undefined;
          // Upstream's test is a substring match on "http", data URLs included.
          if (p.type !== "image_url" || typeof image?.url !== "string" || !image.url.includes("http")) return part;
          return { ...p, image_url: { ...image, url: await localize(image.url) } };
        }),
      );
      return { ...m, content };
    }),
  );
}
