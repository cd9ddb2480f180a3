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
  acquireModelServer(): Promise<{ url: string; release(): Promise<void> }>;
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
export const loadModelServer = () => load<ModelServerModule>("@llama-stack-tests/model-server", "acquireModelServer");

/**
 * The process's model server, shared by the stacks this process starts (model-server's
 * acquireModelServer): released by each, closed after the last.
 */
export async function acquireModelServer(): Promise<{ url: string; release(): Promise<void> }> {
  return (await loadModelServer()).acquireModelServer();
}
