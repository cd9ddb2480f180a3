#!/usr/bin/env node
/** embedded-stack --port N [--host H] [--config run.yaml] [--data-dir DIR] [--pool KEY [--name-token T]] */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { onStopRequest } from "@llama-stack-tests/recording";
import { startEmbeddedStack, startStackPool } from "./index.js";

const USAGE =
  "usage: embedded-stack --port N [--host 127.0.0.1] [--config run.yaml] [--data-dir DIR] [--pool KEY [--name-token TOKEN]]\n" +
  "  --pool KEY: serve a pool of stacks instead of one (POST /pool/stacks {name} gives a fresh stack, DELETE /pool/stacks/<id> closes it;\n" +
  "  GET /pool reports KEY), each with a data dir under --data-dir and TOKEN in its env values replaced by its name";

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string", default: "127.0.0.1" },
        config: { type: "string" },
        "data-dir": { type: "string" },
        pool: { type: "string" },
        "name-token": { type: "string" },
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
  if (values["name-token"] !== undefined && values.pool === undefined) {
    process.stderr.write(`embedded-stack: --name-token needs --pool\n${USAGE}\n`);
    process.exit(2);
  }
  // A data dir of its own making goes with it; one it was given belongs to the caller.
  const ownDataDir = values["data-dir"] ? undefined : mkdtempSync(join(tmpdir(), "embedded-stack-"));
  const dataDir = values["data-dir"] ?? ownDataDir!;
  const removeOwnDataDir = () => {
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
  };
  // On SIGINT/SIGTERM/SIGHUP, and when orphaned (`pnpm embedded-stack` getting SIGTERM does not pass
  // it on), also while it is still starting.
  let stopRequested = false;
  let stack: { url: string; close(): Promise<void> } | undefined;
  const leave = (code: number) => {
    removeOwnDataDir();
    process.exit(code);
  };
  const stop = () => {
    stopRequested = true;
    if (!stack) return;
    stack.close().then(
      () => leave(0),
      (err: unknown) => {
        process.stderr.write(`embedded-stack: shutdown failed: ${(err as Error).message}\n`);
        leave(1);
      },
    );
  };
  onStopRequest(stop);
  try {
    stack =
      values.pool === undefined
        ? await startEmbeddedStack({ port, host: values.host, dataDir, configPath: values.config })
        : await startStackPool({
            port,
            host: values.host,
            dataDir,
            configPath: values.config,
            key: values.pool,
            env: process.env,
            ...(values["name-token"] ? { nameToken: values["name-token"] } : {}),
            log: (message) => process.stderr.write(`embedded-stack: ${message}\n`),
          });
  } catch (err) {
    removeOwnDataDir();
    throw err;
  }
  if (stopRequested) return stop();
  process.stdout.write(`embedded-stack ${values.pool === undefined ? "" : "pool "}listening on ${stack.url}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`embedded-stack: ${(err as Error).message}\n`);
  process.exit(1);
});
