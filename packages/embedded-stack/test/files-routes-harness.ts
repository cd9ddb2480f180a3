import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import Fastify from "fastify";
import { registerBatchesRoutes } from "../src/apis/batches/routes.js";
import { registerConversationsRoutes } from "../src/apis/conversations/routes.js";
import { DatasetsService } from "../src/apis/datasets/service.js";
import { registerFilesRoutes } from "../src/apis/files/routes.js";
import { registerPromptsRoutes } from "../src/apis/prompts/routes.js";
import { ScoringService } from "../src/apis/scoring/service.js";
import { registerVectorIoRoutes } from "../src/apis/vector_io/routes.js";
import { currentTestId } from "../src/context/request-context.js";
import { installJsonParser } from "../src/server/body-parser.js";
import { installErrorHandling } from "../src/server/error-handler.js";
import { ProviderHttpError } from "../src/server/errors.js";
import type { JsonObject, RegisteredModel, StackContext } from "../src/server/types.js";
import { NO_TELEMETRY } from "../src/telemetry/index.js";
import { DOUBLE_MODEL, type ProviderDouble, startProviderDouble } from "./batches-provider-double.js";
import { type FakeEmbeddingsServer, startFakeEmbeddings } from "./vector-fixtures.js";

/**
 * The five route modules on a real Fastify server (127.0.0.1, ephemeral port) over real SQLite,
 * with a minimal StackContext. Inference goes over HTTP to provider test doubles: chat and
 * completions to the batches provider double, embeddings to the bag-of-words embeddings double.
 * JSON parsing and the `{error: {detail}}` envelope are the server core's own.
 */

export const CHAT_MODEL = `double/${DOUBLE_MODEL}`;
export const EMBED_MODEL = "double/embed";
export const EMBED_DIM = 64;

export interface RoutesHarness {
  url: string;
  chat: ProviderDouble;
  embeddings: FakeEmbeddingsServer;
  /** Test id of the request context each inference call ran in, in call order. */
  inferenceTestIds: (string | null)[];
  /** fetch against the server; JSON bodies are serialized, the response body parsed when JSON. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  upload(content: string | Buffer, filename: string, fields?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

const MODELS: RegisteredModel[] = [
  { identifier: CHAT_MODEL, provider_id: "double", provider_resource_id: DOUBLE_MODEL, model_type: "llm", metadata: {}, source: "listed_from_provider" },
  {
    identifier: EMBED_MODEL,
    provider_id: "double",
    provider_resource_id: "embed",
    model_type: "embedding",
    metadata: { embedding_dimension: EMBED_DIM },
    source: "listed_from_provider",
  },
];

export async function startRoutesHarness(): Promise<RoutesHarness> {
  const dir = mkdtempSync(join(tmpdir(), "routes-harness-"));
  const db = new Database(join(dir, "stack.db"));
  const chat = await startProviderDouble();
  const embeddings = await startFakeEmbeddings({ dimension: EMBED_DIM, models: ["embed"] });

  const inferenceTestIds: (string | null)[] = [];
  /** Test double of the inference router: resolves the model and forwards the body to a provider. */
  const forward = async (base: string, path: string, body: JsonObject): Promise<JsonObject> => {
    inferenceTestIds.push(currentTestId());
    const model = MODELS.find((m) => m.identifier === body.model);
    if (!model) throw new ProviderHttpError(404, `Model '${String(body.model)}' not found.`);
    const res = await fetch(`${base}/v1${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...body, model: model.provider_resource_id }),
    });
    const json = (await res.json()) as JsonObject;
    if (!res.ok) throw new ProviderHttpError(res.status, JSON.stringify(json));
    return json;
  };

  const inference: StackContext["inference"] = {
    chatCompletion: (body) => forward(chat.url, "/chat/completions", body),
    completion: (body) => forward(chat.url, "/completions", body),
    embeddings: (body) => forward(embeddings.url, "/embeddings", body),
  };
  // These routes do not use datasets or scoring; real services with no providers fill the context.
  const datasets = new DatasetsService(db, []);
  const ctx: StackContext = {
    db,
    dataDir: dir,
    config: {
      version: 2,
      image_name: "routes-harness",
      apis: ["files", "vector_io", "batches", "conversations", "prompts"],
      providers: { vector_io: [{ provider_id: "sqlite-vec", provider_type: "inline::sqlite-vec", config: {} }] },
      registered_resources: { models: [], shields: [] },
    },
    inference,
    models: {
      get: async (id) => {
        const m = MODELS.find((x) => x.identifier === id);
        if (!m) throw new ProviderHttpError(404, `Model '${id}' not found.`);
        return m;
      },
      find: async (id) => MODELS.find((m) => m.identifier === id),
      list: async () => MODELS,
    },
    mintId: (_kind, fallback) => fallback(),
    testId: currentTestId,
    datasets,
    scoring: new ScoringService({ db, providers: [], inference, datasets }),
    telemetry: NO_TELEMETRY,
  };

  const app = Fastify();
  installJsonParser(app);
  installErrorHandling(app, () => {});
  for (const register of [
    registerFilesRoutes,
    registerVectorIoRoutes,
    registerBatchesRoutes,
    registerConversationsRoutes,
    registerPromptsRoutes,
  ]) {
    await register(app, ctx);
  }
  const url = await app.listen({ port: 0, host: "127.0.0.1" });

  const parse = async (res: Response) => {
    const text = await res.text();
    const isJson = (res.headers.get("content-type") ?? "").includes("application/json");
    return { status: res.status, headers: res.headers, body: isJson && text ? JSON.parse(text) : text };
  };

  return {
    url,
    chat,
    embeddings,
    inferenceTestIds,
    call: async (method, path, body, headers = {}) =>
      parse(
        await fetch(`${url}${path}`, {
          method,
          headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      ),
    upload: async (content, filename, fields = { purpose: "assistants" }) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append("file", new Blob([content]), filename);
      return parse(await fetch(`${url}/v1/files`, { method: "POST", body: form }));
    },
    close: async () => {
      await app.close();
      await Promise.all([chat.close(), embeddings.close()]);
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `path` until `done(body)` holds; gives up (and fails) after `attempts` tries. */
export async function pollUntil(
  h: RoutesHarness,
  path: string,
  done: (body: any) => boolean,
  attempts = 200,
): Promise<any> {
  for (let i = 0; i < attempts; i++) {
    const { body } = await h.call("GET", path);
    if (done(body)) return body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${path} never reached the expected state`);
}
