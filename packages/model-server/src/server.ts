import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { chatCompletions } from "./chat-route.js";
import { completions } from "./completions-route.js";
import { embeddings } from "./embeddings-route.js";
import { ModelEngine } from "./engine.js";
import { ApiError } from "./errors.js";
import { DEFAULT_MODEL_IDS, servedIds, type ServedModels } from "./models.js";
import { requireEmbeddingModel } from "./embedding-model.js";
import { SentenceEmbedder } from "./sentence-embedder.js";
import { ensureTinyModel } from "./tiny-model.js";
import { asObject } from "./validate.js";
import { sharedPerKey } from "./shared-lease.js";

export interface ModelServerOptions {
  /** GGUF to serve; defaults to the generated tiny model. */
  modelPath?: string;
  port?: number;
  host?: string;
  /** Model ids to answer to; defaults to tiny-random-llama / -embed / -guard and all-MiniLM-L6-v2. */
  modelIds?: ServedModels;
  contextSize?: number;
  /** llama.cpp threads; 1 is much faster for tiny models on small machines. */
  threads?: number;
  /**
   * GGUF of the sentence-embedding model served as `all-MiniLM-L6-v2`; defaults to set-up's conversion
   * (an error naming the set-up step when it is missing); null serves none.
   */
  embeddingModelPath?: string | null;
}

export interface ModelServerHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * `created` of the served models: fixed, so a model list records the same bytes on every run (a start
 * time would rewrite every model-list recording). The value is the one the committed recordings hold.
 */
export const MODELS_CREATED = 1796526497;

function buildApp(engine: ModelEngine, sentence: SentenceEmbedder | null, ids: ServedModels): FastifyInstance {
  // Closing destroys open connections, so generations for them stop (disconnectSignal) instead of running on.
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024, forceCloseConnections: true });
  const created = MODELS_CREATED;
  const modelEntry = (id: string) => ({ id, object: "model", created, owned_by: "model-server" });

  app.setErrorHandler((err: FastifyError | ApiError, _req, reply) => {
    if (err instanceof ApiError) return reply.status(err.status).send(err.toEnvelope());
    const status = err.statusCode ?? 500;
    // Fastify's own 4xx errors (bad JSON, wrong content type) name the problem in their message.
    const wrapped = new ApiError(status, status < 500 ? `Invalid request: ${err.message}` : `Internal error: ${err.message}`, null, err.code ?? null);
    return reply.status(status).send(wrapped.toEnvelope());
  });
  app.setNotFoundHandler((req, reply) => {
    const err = new ApiError(404, `No route for ${req.method} ${req.url}. Supported: GET /v1/models, POST /v1/chat/completions, /v1/completions, /v1/embeddings.`, null, "not_found");
    return reply.status(404).send(err.toEnvelope());
  });

  app.get("/health", async () => ({ status: "ok" }));
  app.get("/v1/models", async () => ({ object: "list", data: servedIds(ids).map(modelEntry) }));
  app.get<{ Params: { id: string } }>("/v1/models/:id", async (req) => {
    if (!servedIds(ids).includes(req.params.id)) {
      throw new ApiError(404, `The model '${req.params.id}' does not exist on this server.`, "model", "model_not_found");
    }
    return modelEntry(req.params.id);
  });
  app.post("/v1/chat/completions", (req, reply) => chatCompletions(engine, ids, asObject(req.body, "body"), reply));
  app.post("/v1/completions", (req, reply) => completions(engine, ids, asObject(req.body, "body"), reply));
  const embedderOf = (model: string) => (sentence && model === ids.sentenceEmbedding ? sentence : engine);
  app.post("/v1/embeddings", (req) => embeddings(embedderOf, ids, asObject(req.body, "body")));
  return app;
}

/** Starts the OpenAI-compatible server; resolves once it is listening. */
export async function startModelServer(opts: ModelServerOptions = {}): Promise<ModelServerHandle> {
  const modelPath = opts.modelPath ?? (await ensureTinyModel());
  const threads = opts.threads ?? 1;
  const embeddingModelPath = opts.embeddingModelPath === null ? null : await requireEmbeddingModel(opts.embeddingModelPath);
  const engine = await ModelEngine.load({ modelPath, contextSize: opts.contextSize, threads });
  let sentence: SentenceEmbedder | null = null;
  try {
    sentence = embeddingModelPath === null ? null : await SentenceEmbedder.load(embeddingModelPath, threads);
  } catch (err) {
    await engine.dispose();
    throw err;
  }
  const ids = { ...DEFAULT_MODEL_IDS, ...opts.modelIds };
  if (!sentence) delete ids.sentenceEmbedding;
  const app = buildApp(engine, sentence, ids);
  const dispose = () => Promise.all([engine.dispose(), sentence?.dispose()]).then(() => undefined);
  const host = opts.host ?? "127.0.0.1";
  try {
    await app.listen({ port: opts.port ?? 0, host });
  } catch (err) {
    await dispose();
    throw new Error(`model-server could not listen on ${host}:${opts.port ?? 0}: ${(err as Error).message}. Choose another --port.`);
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : (opts.port ?? 0);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    close: () => (closing ??= app.close().then(dispose)),
  };
}

const acquireDefaultServer = sharedPerKey((_: "default") => startModelServer({ host: "127.0.0.1", port: 0 }), (server) => server.close());

/**
 * The process's model server (the defaults, on a free 127.0.0.1 port), started on first use and
 * closed when its last user releases it: the stacks one process starts (a test file's second,
 * instrumented stack) use the same one rather than loading both models again. It keeps no state
 * between requests (fixed seed), so sharing changes no answer.
 */
export async function acquireModelServer(): Promise<{ url: string; release(): Promise<void> }> {
  const { value, release } = await acquireDefaultServer("default");
  return { url: value.url, release };
}
