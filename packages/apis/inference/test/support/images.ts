import type { UpstreamTestContext } from "@llama-stack-tests/stack";
import type OpenAI from "openai";

import { checkerboardPng } from "./png.js";
import { readUpstreamData, upstreamDataPath } from "./shared-data.js";

/** Where upstream's tests point vision models at its dog photo. */
export const DOG_IMAGE_URL =
  "https://raw.githubusercontent.com/meta-llama/llama-stack/main/tests/integration/inference/dog.png";

/** The user message upstream's vision tests send: the image, then a request to describe it. */
export function describeImage(url: string): OpenAI.Chat.ChatCompletionMessageParam {
  return {
    role: "user",
    content: [
      { type: "image_url", image_url: { url } },
      { type: "text", text: "Describe what is in this image." },
    ],
  };
}

/** A PNG data URL: upstream's dog photo when the reference tree is present, else a generated image. */
export function pngDataUrl(): { url: string; isDogPhoto: boolean } {
  const dog = readUpstreamData("inference/dog.png");
  const bytes = dog ?? checkerboardPng();
  return { url: `data:image/png;base64,${bytes.toString("base64")}`, isDogPhoto: dog !== undefined };
}

/** Upstream's dog photo as a data URL; skips the case when the reference tree is absent. */
export function dogPhotoDataUrl(t: UpstreamTestContext<unknown>): string {
  const { url, isDogPhoto } = pngDataUrl();
  if (!isDogPhoto) {
    t.skip(`needs upstream's dog photo at ${upstreamDataPath("inference/dog.png")}: the assertion names what it shows`);
  }
  return url;
}

/** Upstream's three JPEG photos as data URLs; skips the case when the reference tree is absent. */
export function visionTestJpegs(t: UpstreamTestContext<unknown>): string[] {
  return [1, 2, 3].map((n) => {
    const relative = `inference/vision_test_${n}.jpg`;
    const bytes = readUpstreamData(relative);
    if (!bytes) t.skip(`needs upstream's photo ${upstreamDataPath(relative)}: the assertions name what it shows`);
    return `data:image/jpeg;base64,${bytes.toString("base64")}`;
  });
}
