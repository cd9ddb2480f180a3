import { getLlama, LlamaLogLevel, type Llama } from "node-llama-cpp";

/** A use of the process's Llama; `release` disposes it once no use is left. */
export interface LlamaLease {
  llama: Llama;
  release(): Promise<void>;
}

interface Entry {
  llama: Promise<Llama>;
  users: number;
}

/**
 * One Llama (llama.cpp's native binding) per process and thread count, shared by the text and the
 * embedding model and by every server of the process: each getLlama tests the prebuilt binary in a
 * child process first (about 0.3 s of CPU), which a model-server start paid twice and a test file
 * starting two stacks four times.
 */
const shared = new Map<number, Entry>();

export async function acquireLlama(threads: number): Promise<LlamaLease> {
  let entry = shared.get(threads);
  if (!entry) {
    // build "never": there is no network at run time, so only prebuilt binaries are usable.
    const llama = getLlama({ gpu: false, build: "never", maxThreads: threads, logLevel: LlamaLogLevel.error });
    entry = { llama, users: 0 };
    shared.set(threads, entry);
    // A failed load is not cached: the next acquire tries again.
    llama.catch(() => shared.get(threads) === entry && shared.delete(threads));
  }
  entry.users += 1;
  const current = entry;
  let llama: Llama;
  try {
    llama = await current.llama;
  } catch (err) {
    current.users -= 1;
    throw err;
  }
  let released = false;
  return {
    llama,
    release: async () => {
      if (released) return;
      released = true;
      current.users -= 1;
      if (current.users > 0) return;
      if (shared.get(threads) === current) shared.delete(threads);
      await llama.dispose();
    },
  };
}
