/** In-process start of the embedded stack (used by the CLI and by tests). */
import { buildApp } from "./app.js";

export interface EmbeddedStackOptions {
  port?: number;
  host?: string;
  dataDir: string;
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
}

export interface EmbeddedStackHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startEmbeddedStack(opts: EmbeddedStackOptions): Promise<EmbeddedStackHandle> {
  const host = opts.host ?? "127.0.0.1";
  const stack = await buildApp({ dataDir: opts.dataDir, configPath: opts.configPath, env: opts.env, log: opts.log });
  try {
    await stack.app.listen({ port: opts.port ?? 0, host });
  } catch (err) {
    await stack.close();
    throw err;
  }
  const address = stack.app.server.address();
  const port = typeof address === "object" && address ? address.port : (opts.port ?? 0);
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return { url: `http://${urlHost}:${port}`, port, close: () => stack.close() };
}

export { startStackPool, type StackPool, type StackPoolOptions } from "./pool.js";
export { buildApp, type BuildAppOptions, type StackApp } from "./app.js";
export type { StackContext, RouteModule } from "./server/types.js";
