import { StackStartError } from "../errors.js";
import type { InferenceMode } from "../inference-mode.js";

/** The parts of @llama-stack-tests/recording this harness uses (its contract in docs/architecture.md). */
export interface ProviderRoute {
  name: string;
  target?: string;
  recordedBase: string;
}
export interface RecordingModule {
  DEFAULT_PROVIDER_ROUTES: Record<string, ProviderRoute>;
  /** First path segment `~<tag>` of a request names its traffic log (trafficLogPathFor). */
  TAG_PREFIX: string;
  startRecordingProxy(opts: {
    mode: InferenceMode;
    recordingsDir: string;
    providers: ProviderRoute[];
    port?: number;
    host?: string;
    trafficLogPath?: string;
    trafficLogPathFor?: (tag: string) => string;
  }): Promise<{ url: string; port: number; close(): Promise<void> }>;
}

/** The part of @llama-stack-tests/model-server this harness uses. */
export interface ModelServerModule {
  startModelServer(opts: { modelPath?: string; port?: number; host?: string }): Promise<{ url: string; port: number; close(): Promise<void> }>;
}

// Loaded at run time so a missing build fails with the fix rather than at import.
async function load<T>(name: string, exportName: string): Promise<T> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(name)) as Record<string, unknown>;
  } catch (e) {
    throw new StackStartError(
      `Cannot load ${name} (${(e as Error).message}). Build it: pnpm turbo run build --filter=${name}`,
    );
  }
  if (typeof mod[exportName] !== "function") {
    throw new StackStartError(`${name} does not export ${exportName}(): rebuild it (pnpm turbo run build --filter=${name})`);
  }
  return mod as T;
}

export const loadRecording = () => load<RecordingModule>("@llama-stack-tests/recording", "startRecordingProxy");
export const loadModelServer = () => load<ModelServerModule>("@llama-stack-tests/model-server", "startModelServer");

interface SharedModelServer {
  server: Promise<{ url: string; close(): Promise<void> }>;
  users: number;
}
let sharedModelServer: SharedModelServer | undefined;

/**
 * The process's model server, started on first use and closed when its last user releases it: the
 * stacks one process starts (a test file's second, instrumented stack) use the same one rather than
 * loading both models again. It keeps no state between requests (fixed seed), so sharing changes no answer.
 */
export async function acquireModelServer(): Promise<{ url: string; release(): Promise<void> }> {
  if (!sharedModelServer) {
    const entry: SharedModelServer = {
      server: loadModelServer().then(({ startModelServer }) => startModelServer({ host: "127.0.0.1", port: 0 })),
      users: 0,
    };
    sharedModelServer = entry;
    // A failed start is not kept: the next user tries again.
    entry.server.catch(() => sharedModelServer === entry && (sharedModelServer = undefined));
  }
  const entry = sharedModelServer;
  entry.users += 1;
  let server: { url: string; close(): Promise<void> };
  try {
    server = await entry.server;
  } catch (e) {
    entry.users -= 1;
    throw e;
  }
  let released = false;
  return {
    url: server.url,
    release: async () => {
      if (released) return;
      released = true;
      entry.users -= 1;
      if (entry.users > 0) return;
      if (sharedModelServer === entry) sharedModelServer = undefined;
      await server.close();
    },
  };
}
