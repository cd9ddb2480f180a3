import { upstreamTest, type ClientVariant, type UpstreamTestContext } from "@llama-stack-tests/stack";
import { expect } from "vitest";
import { compatClient, expectApiError, type EmbeddingsResponseLike } from "./support/compat.js";
import { requiredModel } from "./support/models.js";
import {
  ASYMMETRIC_EMBEDDING_MODELS,
  NO_EMBEDDINGS_BASE64,
  NO_EMBEDDINGS_USER_PARAM,
  NO_OPENAI_EMBEDDINGS,
  NO_VARIABLE_DIMENSIONS,
  NVIDIA_FIXED_EMBEDDING_MODELS,
} from "./support/provider-support.js";
import { providerFromModel, type ProviderInfo } from "./support/providers.js";

const FILE = "tests/integration/inference/test_openai_embeddings.py";
/** This file's own `compat_client` fixture params, in order. */
const CLIENTS: readonly ClientVariant[] = ["openai_client", "llama_stack_client"];
const EMB = ["embedding_model_id"] as const;
type Ctx = UpstreamTestContext<undefined>;

interface Prepared {
  model: string;
  provider: ProviderInfo;
  extraBody: Record<string, unknown> | undefined;
}

/** Resolves the model and applies the skip every upstream embeddings test starts with. */
async function prepare(t: Ctx): Promise<Prepared> {
  const model = requiredModel(t, "embedding");
  const provider = await providerFromModel(t, model);
  if (NO_OPENAI_EMBEDDINGS.includes(provider.provider_type)) {
    t.skip(`Model ${model} hosted by ${provider.provider_type} doesn't support OpenAI embeddings.`);
  }
  // Asymmetric models (NVIDIA) need to know whether the text is a query or a passage.
  const asymmetric = ASYMMETRIC_EMBEDDING_MODELS[provider.provider_type]?.includes(model) ?? false;
  const extraBody = asymmetric && provider.provider_type === "remote::nvidia" ? { input_type: "query" } : undefined;
  return { model, provider, extraBody };
}

function skipIfNoUserParam(t: Ctx, { model, provider }: Prepared): void {
  if (NO_EMBEDDINGS_USER_PARAM.includes(provider.provider_type)) {
    t.skip(`Model ${model} hosted by ${provider.provider_type} does not support user param.`);
  }
}

function skipIfNoBase64(t: Ctx, { model, provider }: Prepared): void {
  const nvidiaFixed = provider.provider_type === "remote::nvidia" && NVIDIA_FIXED_EMBEDDING_MODELS.includes(model);
  if (NO_EMBEDDINGS_BASE64.includes(provider.provider_type) || nvidiaFixed) {
    t.skip(`Model ${model} hosted by ${provider.provider_type} does not support encoding_format='base64'.`);
  }
}

function skipIfNoVariableDimensions(t: Ctx, { model, provider }: Prepared): void {
  const type = provider.provider_type;
  if (
    NO_VARIABLE_DIMENSIONS.includes(type) ||
    (type === "remote::openai" && !model.includes("text-embedding-3")) ||
    (type === "remote::nvidia" && NVIDIA_FIXED_EMBEDDING_MODELS.includes(model))
  ) {
    t.skip(`Model ${model} hosted by ${type} does not support variable output embedding dimensions.`);
  }
}

/** Little-endian float32 values packed in a base64 string, as OpenAI's base64 format defines. */
function decodeBase64Floats(encoded: string): number[] {
  const bytes = Buffer.from(encoded, "base64");
  expect(bytes.length % 4, "base64 embedding must hold whole float32 values").toBe(0);
  const floats: number[] = [];
  for (let offset = 0; offset < bytes.length; offset += 4) floats.push(bytes.readFloatLE(offset));
  return floats;
}

function floatEmbedding(item: EmbeddingsResponseLike["data"][number]): number[] {
  expect(Array.isArray(item.embedding), `embedding should be a list, got ${typeof item.embedding}`).toBe(true);
  return item.embedding as number[];
}

function expectFloats(values: readonly number[]): void {
  expect(values.length).toBeGreaterThan(0);
  for (const value of values) expect(Number.isFinite(value)).toBe(true);
}

/** A list answer holding exactly one embedding, a non-empty list of finite floats. */
function expectOneFloatEmbedding(response: EmbeddingsResponseLike): void {
  expect(response.object).toBe("list");
  expect(response.data).toHaveLength(1);
  expectFloats(floatEmbedding(response.data[0]!));
}

upstreamTest({ file: FILE, name: "test_openai_embeddings_single_string", clients: CLIENTS, models: EMB }, async (t) => {
  const p = await prepare(t);
  const response = await compatClient(t).createEmbeddings({
    model: p.model,
    input: "Hello, world!",
    encoding_format: "float",
    extra_body: p.extraBody,
  });
  expect(response.object).toBe("list");
  expect(response.model).toBe(p.model);
  expect(response.data).toHaveLength(1);
  expect(response.data[0]!.object).toBe("embedding");
  expect(response.data[0]!.index).toBe(0);
  expectFloats(floatEmbedding(response.data[0]!));
});

upstreamTest({ file: FILE, name: "test_openai_embeddings_multiple_strings", clients: CLIENTS, models: EMB }, async (t) => {
  const p = await prepare(t);
  const inputs = ["Hello, world!", "How are you today?", "This is a test."];
  const response = await compatClient(t).createEmbeddings({
    model: p.model,
    input: inputs,
    encoding_format: "float",
    extra_body: p.extraBody,
  });
  expect(response.object).toBe("list");
  expect(response.model).toBe(p.model);
  expect(response.data).toHaveLength(inputs.length);
  response.data.forEach((item, i) => {
    expect(item.object).toBe("embedding");
    expect(item.index).toBe(i);
    expectFloats(floatEmbedding(item));
  });
});

upstreamTest(
  { file: FILE, name: "test_openai_embeddings_with_encoding_format_float", clients: CLIENTS, models: EMB },
  async (t) => {
    const p = await prepare(t);
    const response = await compatClient(t).createEmbeddings({
      model: p.model,
      input: "Test encoding format",
      encoding_format: "float",
      extra_body: p.extraBody,
    });
    expectOneFloatEmbedding(response);
  },
);

upstreamTest({ file: FILE, name: "test_openai_embeddings_with_dimensions", clients: CLIENTS, models: EMB }, async (t) => {
  const p = await prepare(t);
  skipIfNoVariableDimensions(t, p);
  const response = await compatClient(t).createEmbeddings({
    model: p.model,
    input: "Test dimensions parameter",
    dimensions: 16,
    extra_body: p.extraBody,
  });
  // Upstream does not pin the length here: some models ignore `dimensions`.
  expectOneFloatEmbedding(response);
});

upstreamTest({ file: FILE, name: "test_openai_embeddings_with_user_parameter", clients: CLIENTS, models: EMB }, async (t) => {
  const p = await prepare(t);
  skipIfNoUserParam(t, p);
  const response = await compatClient(t).createEmbeddings({
    model: p.model,
    input: "Test user parameter",
    user: "test-user-123",
    extra_body: p.extraBody,
  });
  expectOneFloatEmbedding(response);
});

upstreamTest({ file: FILE, name: "test_openai_embeddings_empty_list_error", clients: CLIENTS, models: EMB }, async (t) => {
  const p = await prepare(t);
  const error = await expectApiError(
    compatClient(t).createEmbeddings({ model: p.model, input: [], extra_body: p.extraBody }),
  );
  // Which layer rejects an empty input (stack or provider) varies, so only "an HTTP error" is pinned.
  expect(error.status).toBeGreaterThanOrEqual(400);
});

upstreamTest({ file: FILE, name: "test_openai_embeddings_invalid_model_error", clients: CLIENTS, models: EMB }, async (t) => {
  const p = await prepare(t);
  const error = await expectApiError(
    compatClient(t).createEmbeddings({ model: "invalid-model-id", input: "Test text", extra_body: p.extraBody }),
  );
  // Llama Stack maps ModelNotFoundError to 404 and names the model.
  expect(error.status).toBe(404);
  expect(error.message).toContain("invalid-model-id");
});

upstreamTest(
  { file: FILE, name: "test_openai_embeddings_different_inputs_different_outputs", clients: CLIENTS, models: EMB },
  async (t) => {
    const p = await prepare(t);
    const client = compatClient(t);
    const embed = async (input: string) =>
      floatEmbedding(
        (await client.createEmbeddings({ model: p.model, input, encoding_format: "float", extra_body: p.extraBody }))
          .data[0]!,
      );
    const first = await embed("This is the first text");
    const second = await embed("This is completely different content");
    expect(first.length).toBe(second.length);
    expect(first).not.toEqual(second);
  },
);

upstreamTest(
  { file: FILE, name: "test_openai_embeddings_with_encoding_format_base64", clients: CLIENTS, models: EMB },
  async (t) => {
    const p = await prepare(t);
    skipIfNoBase64(t, p);
    skipIfNoVariableDimensions(t, p);
    const dimensions = 12;
    const response = await compatClient(t).createEmbeddings({
      model: p.model,
      input: "Test base64 encoding format",
      encoding_format: "base64",
      dimensions,
      extra_body: p.extraBody,
    });
    expect(response.object).toBe("list");
    expect(response.data).toHaveLength(1);
    const item = response.data[0]!;
    expect(item.object).toBe("embedding");
    expect(item.index).toBe(0);
    expect(typeof item.embedding).toBe("string");
    const floats = decodeBase64Floats(item.embedding as string);
    expect(floats, `Got embedding length ${floats.length}, expected ${dimensions}`).toHaveLength(dimensions);
    expectFloats(floats);
  },
);

upstreamTest(
  { file: FILE, name: "test_openai_embeddings_base64_batch_processing", clients: CLIENTS, models: EMB },
  async (t) => {
    const p = await prepare(t);
    skipIfNoBase64(t, p);
    const inputs = ["First text for base64", "Second text for base64", "Third text for base64"];
    const response = await compatClient(t).createEmbeddings({
      model: p.model,
      input: inputs,
      encoding_format: "base64",
      extra_body: p.extraBody,
    });
    expect(response.object).toBe("list");
    expect(response.model).toBe(p.model);
    expect(response.data).toHaveLength(inputs.length);
    const lengths = response.data.map((item, i) => {
      expect(item.object).toBe("embedding");
      expect(item.index).toBe(i);
      expect(typeof item.embedding).toBe("string");
      const floats = decodeBase64Floats(item.embedding as string);
      expectFloats(floats);
      return floats.length;
    });
    expect(new Set(lengths).size, "all embeddings share one dimensionality").toBe(1);
  },
);
