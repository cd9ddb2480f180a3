export { ensureTinyModel, buildTinyModel, defaultModelCacheDir, TINY_MODEL } from "./tiny-model.js";
export { startModelServer, acquireModelServer, MODELS_CREATED, type ModelServerOptions, type ModelServerHandle } from "./server.js";
export { DEFAULT_MODEL_IDS, type ServedModels } from "./models.js";
export { EMBEDDING_MODEL, embeddingModelPath } from "./embedding-model.js";
