#!/usr/bin/env node
/** embedded-stack --port N [--host H] [--config run.yaml] [--data-dir DIR] */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedStack } from "./index.js";

const USAGE = "usage: embedded-stack --port N [--host 127.0.0.1] [--config run.yaml] [--data-dir DIR]";

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string", default: "127.0.0.1" },
        config: { type: "string" },
        "data-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`embedded-stack: ${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = Number(values.port ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`embedded-stack: --port must be an integer between 0 and 65535, got '${values.port}'\n${USAGE}\n`);
    process.exit(2);
  }
  const dataDir = values["data-dir"] ?? mkdtempSync(join(tmpdir(), "embedded-stack-"));
  const stack = await startEmbeddedStack({ port, host: values.host, dataDir, configPath: values.config });
  process.stdout.write(`embedded-stack listening on ${stack.url}\n`);

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    stack.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`embedded-stack: shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`embedded-stack: ${(err as Error).message}\n`);
  process.exit(1);
});
