/** Object ids: deterministic per test id (as upstream's recorder mints them) when the request carries one. */
import { createTestScopedIdAllocator } from "@llama-stack-tests/recording";
import { currentTestId } from "./request-context.js";

export function createIdMinter(): (kind: string, fallback: () => string) => string {
  const allocate = createTestScopedIdAllocator();
  return (kind, fallback) => {
    const testId = currentTestId();
    return testId ? allocate(kind, testId, fallback) : fallback();
  };
}
