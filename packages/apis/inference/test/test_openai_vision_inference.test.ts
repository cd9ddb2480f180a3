import { upstreamTest, type UpstreamTestContext } from "@llama-stack-tests/stack";
import { expect } from "vitest";
import { DOG_IMAGE_URL, describeImage, dogPhotoDataUrl } from "./support/images.js";
import { requiredModel } from "./support/models.js";

const FILE = "tests/integration/inference/test_openai_vision_inference.py";
const VIS = ["vision_model_id"] as const;
const DOG_WORDS = ["dog", "puppy", "pup"];

async function describe(t: UpstreamTestContext<undefined>, url: string): Promise<string> {
  const model = requiredModel(t, "vision");
  const response = await t.openai.chat.completions.create({
    model,
    messages: [describeImage(url)],
    stream: false,
  });
  expect(response.choices.length).toBeGreaterThan(0);
  return (response.choices[0]!.message.content ?? "").toLowerCase().trim();
}

upstreamTest({ file: FILE, name: "test_openai_chat_completion_image_url", models: VIS }, async (t) => {
  const content = await describe(t, DOG_IMAGE_URL);
  expect(content.length).toBeGreaterThan(0);
  if (t.can("vision", "description mentions a dog")) expect(DOG_WORDS.some((w) => content.includes(w))).toBe(true);
});

upstreamTest({ file: FILE, name: "test_openai_chat_completion_image_data", models: VIS }, async (t) => {
  const content = await describe(t, dogPhotoDataUrl(t));
  expect(content.length).toBeGreaterThan(0);
  if (t.can("vision", "description mentions a dog")) expect(DOG_WORDS.some((w) => content.includes(w))).toBe(true);
});
