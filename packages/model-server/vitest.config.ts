import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Loading llama.cpp and generating on a busy 2-core machine can take a while.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
