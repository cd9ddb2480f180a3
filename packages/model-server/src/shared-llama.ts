import { getLlama, LlamaLogLevel, type Llama } from "node-llama-cpp";
import { sharedPerKey } from "./shared-lease.js";

/** A use of the process's Llama; `release` disposes it once no use is left. */
export interface LlamaLease {
  llama: Llama;
  release(): Promise<void>;
}

/**
 * One Llama (llama.cpp's native binding) per process and thread count, shared by the text and the
 * embedding model and by every server of the process: each getLlama tests the prebuilt binary in a
 * child process first (about 0.3 s of CPU), which a model-server start paid twice and a test file
 * starting two stacks four times.
 */
const acquire = sharedPerKey(
  // build "never": there is no network at run time, so only prebuilt binaries are usable.
  (threads: number) => getLlama({ gpu: false, build: "never", maxThreads: threads, logLevel: LlamaLogLevel.error }),
  (llama) => llama.dispose(),
);

export async function acquireLlama(threads: number): Promise<LlamaLease> {
  const { value, release } = await acquire(threads);
  return { llama: value, release };
}
