/** Deterministic object ids per test, minted the way Llama Stack's recorder overrides id generation. */
import { createHash } from "node:crypto";

/** Id kinds the recorder makes deterministic, and the prefix each id carries. */
export const ID_KIND_PREFIXES: Readonly<Record<string, string>> = {
  file: "file-",
  vector_store: "vs_",
  vector_store_file_batch: "batch_",
  tool_call: "call_",
};

const COUNTER_MODULUS = 1_000_000_000_000n;

export class MissingTestIdError extends Error {
  constructor(kind: string) {
    super(`A test id is required to allocate a deterministic ${kind} id: send the test id header with the request`);
    this.name = "MissingTestIdError";
  }
}

/**
 * Each test gets a contiguous block per kind starting after sha256(test id) mod 1e12, so ids stay
 * unique across tests sharing a store. Unknown kinds use `fallback`.
 */
export function createTestScopedIdAllocator(): (kind: string, testId: string | null, fallback: () => string) => string {
  const counters = new Map<string, Map<string, bigint>>();
  return (kind, testId, fallback) => {
    const prefix = ID_KIND_PREFIXES[kind];
    if (prefix === undefined) return fallback();
    if (!testId) throw new MissingTestIdError(kind);
    let perTest = counters.get(testId);
    if (!perTest) counters.set(testId, (perTest = new Map()));
    const seed = BigInt(`0x${createHash("sha256").update(testId, "utf8").digest("hex")}`) % COUNTER_MODULUS;
    const next = (perTest.get(kind) ?? seed) + 1n;
    perTest.set(kind, next);
    return `${prefix}${next}`;
  };
}
