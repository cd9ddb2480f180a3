#!/usr/bin/env node
import { parseArgs } from "node:util";
import { startModelServer } from "./server.js";

const CLOSE_DEADLINE_MS = 5_000;

const USAGE = "usage: model-server [--port N] [--host H] [--model path.gguf] [--embedding-model path.gguf|none] [--context-size N] [--threads N]";

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        model: { type: "string" },
        "embedding-model": { type: "string" },
        "context-size": { type: "string" },
        threads: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const int = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) {
      console.error(`--${name} must be a non-negative integer, got '${v}'\n${USAGE}`);
      process.exit(2);
    }
    return n;
  };
  const server = await startModelServer({
    port: int("port", values.port),
    host: values.host,
    modelPath: values.model,
    embeddingModelPath: values["embedding-model"] === "none" ? null : values["embedding-model"],
    contextSize: int("context-size", values["context-size"]),
    threads: int("threads", values.threads),
  });
  console.log(`model-server listening on ${server.url}`);
  const stop = () => {
    // Closing drops open connections, which aborts their generations; should anything still hold the
    // close, a stop request is not held hostage by it.
    setTimeout(() => {
      console.error(`model-server: still closing ${CLOSE_DEADLINE_MS / 1000} s after the stop signal; exiting`);
      process.exit(1);
    }, CLOSE_DEADLINE_MS).unref();
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(`model-server: ${(err as Error).message}`);
  process.exit(1);
});
